"use strict";
// A tiny client for this server's API, shared by the pages. It adds the saved token
// (if any) and turns problem+json answers into errors carrying the server's detail.
// eslint-disable-next-line no-unused-vars
const termlightApi = (() => {
  const TOKEN_KEY = "termlight.token";

  function token() {
    try {
      return localStorage.getItem(TOKEN_KEY) || "";
    } catch (_err) {
      return ""; // storage can be disabled; then the page works without a token
    }
  }

  function setToken(value) {
    try {
      if (value) localStorage.setItem(TOKEN_KEY, value);
      else localStorage.removeItem(TOKEN_KEY);
    } catch (_err) {
      /* nothing to do: the token just is not remembered */
    }
  }

  class ApiError extends Error {
    constructor(status, detail, problem) {
      super(detail);
      this.status = status;
      this.problem = problem;
    }
  }

  // The body and the answer's ETag (for If-Match on a later write).
  async function send(method, path, data, extraHeaders) {
    const init = { method, headers: { ...(extraHeaders || {}) } };
    if (data !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(data);
    }
    let etag = null;
    const body = await call(path, init, (resp) => {
      etag = resp.headers.get("ETag");
    });
    return { body, etag };
  }

  async function call(path, init, onResponse) {
    const headers = new Headers(init.headers || {});
    headers.set("Accept", "application/json");
    const saved = token();
    if (saved) headers.set("Authorization", "Bearer " + saved);
    const resp = await fetch(path, { ...init, headers, credentials: "same-origin" });
    if (onResponse) onResponse(resp);
    let body = null;
    try {
      body = await resp.json();
    } catch (_err) {
      body = null;
    }
    if (!resp.ok) {
      const detail = body && typeof body.detail === "string" ? body.detail : resp.statusText;
      throw new ApiError(resp.status, detail || "request failed", body);
    }
    return body;
  }

  return {
    token,
    setToken,
    ApiError,
    send,
    get: (path) => call(path, { method: "GET" }),
    post: (path, data) =>
      call(path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(data),
      }),
  };
})();
