"use strict";
// Renders /openapi.json as a readable page with DOM calls (text only, no HTML parsing),
// so the docs can never drift from what the server really accepts.

(() => {
  const { $, el } = termlightDom;
  const METHODS = ["get", "post", "put", "patch", "delete"];

  function schemaName(schema) {
    if (!schema) return "";
    if (schema.$ref) return schema.$ref.split("/").pop();
    if (schema.oneOf) return schema.oneOf.map(schemaName).join(" or ");
    return schema.type ? String(schema.type) : "";
  }

  function route(path, method, op) {
    const box = el("article", "route");
    const title = el("h3", "route-title");
    title.append(el("span", `method method-${method}`, method.toUpperCase()), " ", el("code", null, path));
    box.append(title, el("p", null, op.summary || ""));
    if (op.security) box.append(el("p", "note", "Needs Authorization: Bearer <token>."));
    const params = op.parameters || [];
    if (params.length) {
      const list = el("ul", "params");
      for (const p of params) {
        const li = el("li");
        li.append(el("code", null, p.name), ` (${p.in}${p.required ? ", required" : ""}) `,
          p.description || "");
        list.append(li);
      }
      box.append(el("h4", null, "Parameters"), list);
    }
    const body = op.requestBody && op.requestBody.content;
    if (body) {
      for (const [type, media] of Object.entries(body)) {
        box.append(el("h4", null, "Body"), el("p", null, `${type}: ${schemaName(media.schema)}`));
      }
    }
    const responses = el("ul", "responses");
    for (const [status, resp] of Object.entries(op.responses || {})) {
      const li = el("li");
      const types = Object.entries(resp.content || {})
        .map(([type, media]) => `${type}${media.schema ? " " + schemaName(media.schema) : ""}`);
      li.append(el("code", null, status), " ", resp.description || "",
        types.length ? ` — ${types.join(", ")}` : "");
      responses.append(li);
    }
    box.append(el("h4", null, "Responses"), responses);
    return box;
  }

  function render(doc) {
    const routes = [];
    for (const [path, item] of Object.entries(doc.paths || {})) {
      for (const method of METHODS) if (item[method]) routes.push(route(path, method, item[method]));
    }
    $("routes").replaceChildren(...routes);

    const problems = [];
    for (const [uri, p] of Object.entries(doc["x-problem-types"] || {})) {
      const dt = el("dt", null, `${p.status} ${p.title}`);
      dt.id = uri.split("#").pop();
      dt.append(" ", el("code", null, uri));
      problems.push(dt, el("dd", null, p.when));
    }
    $("problems").replaceChildren(...problems);

    const schemas = [];
    for (const [name, schema] of Object.entries((doc.components || {}).schemas || {})) {
      const h = el("h3", null, name);
      h.id = `schema-${name}`;
      schemas.push(h, el("pre", "schema", JSON.stringify(schema, null, 2)));
    }
    $("schemas").replaceChildren(...schemas);
    $("docs-status").textContent = `${doc.info.title} ${doc.info.version}, OpenAPI ${doc.openapi}.`;
    if (window.location.hash) {
      const target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      if (target) target.scrollIntoView();
    }
  }

  fetch("/openapi.json", { headers: { Accept: "application/json" } })
    .then((resp) => (resp.ok ? resp.json() : Promise.reject(new Error(resp.statusText))))
    .then(render)
    .catch((err) => {
      const status = $("docs-status");
      status.textContent = `Could not load the OpenAPI document: ${err.message}`;
      status.classList.add("error");
    });
})();
