/*
 * Talking to the termlight server. Only the background worker does this: it holds the host
 * permissions (so no CORS setup is needed on the server) and the API token, which never
 * reaches a content script.
 *
 * Every failure becomes a ServerError with a `kind` the badge and the options page can
 * explain: 'unreachable' (nothing answered), 'auth' (401/403: token missing or wrong),
 * 'http' (any other error status) or 'bad-response' (an answer that is not the contract's).
 */
(() => {
  'use strict';

  const { MatchCache } = globalThis.termlightCache;
  const { ErrorKind } = globalThis.termlightProtocol;
  const { isInsecureServer } = globalThis.termlightSettings;

  /** Keep each request well under the server's default limits (5 MiB body, 10,000 texts). */
  const MAX_TEXTS_PER_REQUEST = 2000;
  const MAX_CHARS_PER_REQUEST = 1_000_000;
  const TIMEOUT_MS = 15000;
  const RETRY_DELAYS_MS = [300, 1200];
  const VERSION_CHECK_MS = 30_000;

  class ServerError extends Error {
    constructor(kind, status, message) {
      super(message);
      this.kind = kind;
      this.status = status;
    }

    toJSON() {
      return { kind: this.kind, status: this.status, message: this.message };
    }
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * One request with a timeout; connection failures and 502/503/504 (a restarting server) are
   * retried a couple of times with growing delays before giving up.
   */
  async function request(settings, path, { method = 'GET', body, auth = true } = {}) {
    if (isInsecureServer(settings.serverUrl) && !settings.insecureOk) {
      throw new ServerError(
        ErrorKind.INSECURE,
        0,
        'The server URL is plain http:// on another machine; confirm in the options that your token and pages may travel unencrypted, or use https://',
      );
    }
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && settings.token) headers.Authorization = `Bearer ${settings.token}`;
    const url = settings.serverUrl + path;
    let lastError = null;
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      if (attempt > 0) await sleep(RETRY_DELAYS_MS[attempt - 1]);
      let response;
      try {
        response = await fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
          credentials: 'omit',
          cache: 'no-store',
          // Never follow a redirect: it would re-send the page text (and the token) elsewhere.
          redirect: 'error',
        });
      } catch {
        lastError = new ServerError(
          ErrorKind.UNREACHABLE,
          0,
          `Cannot reach the termlight server at ${settings.serverUrl} (or it answered with a redirect, which termlight never follows)`,
        );
        continue;
      }
      if ([502, 503, 504].includes(response.status)) {
        lastError = new ServerError(ErrorKind.HTTP, response.status, `The server answered ${response.status}`);
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new ServerError(ErrorKind.AUTH, response.status, 'The server refused the API token (set it in the options)');
      }
      if (!response.ok) {
        // A problem+json detail says what to fix (a 422 on a suggestion); shown as text only.
        let detail = '';
        try {
          const problem = await response.json();
          if (problem && typeof problem.detail === 'string') detail = `: ${problem.detail.slice(0, 300)}`;
        } catch {
          // not JSON: the status alone
        }
        throw new ServerError(ErrorKind.HTTP, response.status, `The server answered ${response.status}${detail}`);
      }
      try {
        return await response.json();
      } catch {
        throw new ServerError(ErrorKind.BAD_RESPONSE, response.status, 'The server sent something that is not JSON');
      }
    }
    throw lastError;
  }

  /** Check one /v1/match result entry against the contract before anything trusts it. */
  function cleanMatches(list) {
    if (!Array.isArray(list)) return null;
    const out = [];
    for (const m of list) {
      if (!m || !Number.isInteger(m.start) || !Number.isInteger(m.end) || m.start < 0 || m.end <= m.start) continue;
      if (typeof m.term_id !== 'string' || typeof m.text !== 'string') continue;
      out.push({ start: m.start, end: m.end, term_id: m.term_id, text: m.text });
    }
    return out;
  }

  /** Cut the texts to send into requests that respect the per-request limits. */
  function chunk(texts) {
    const chunks = [];
    let current = [];
    let chars = 0;
    for (const t of texts) {
      if (current.length && (current.length >= MAX_TEXTS_PER_REQUEST || chars + t.length > MAX_CHARS_PER_REQUEST)) {
        chunks.push(current);
        current = [];
        chars = 0;
      }
      current.push(t);
      chars += t.length;
    }
    if (current.length) chunks.push(current);
    return chunks;
  }

  /**
   * Matches texts through the cache: only texts not seen before are sent. Remembers the
   * glossary version the server reports and forgets everything when it changes, so an edited
   * glossary shows up without reloading the extension.
   */
  class MatchClient {
    constructor() {
      this.cache = new MatchCache();
      this.terms = new Map();
      this.version = null;
      this.checkedAt = 0; // when the server last confirmed `version`
      this.requestsSent = 0;
    }

    reset() {
      this.cache.clear();
      this.terms.clear();
      this.version = null;
    }

    /**
     * Cached answers are only as fresh as the glossary version they came with. A team glossary
     * changes without any new text being sent (an editor approves a suggestion), so once the
     * version is older than VERSION_CHECK_MS a small GET /v1/glossaries confirms it first.
     */
    async freshen(settings) {
      if (this.version === null || Date.now() - this.checkedAt < VERSION_CHECK_MS) return;
      this.checkedAt = Date.now();
      try {
        const listing = await request(settings, '/v1/glossaries');
        const version = listing && typeof listing.glossary_version === 'string' ? listing.glossary_version : null;
        if (version && version !== this.version) this.reset();
      } catch {
        // the match request that follows reports the problem
      }
    }

    async match(settings, texts) {
      await this.freshen(settings);
      const missing = [...new Set(texts.filter((t) => this.cache.get(t) === undefined))];
      if (missing.length) {
        await Promise.all(chunk(missing).map((part) => this.fetchChunk(settings, part)));
      }
      const results = [];
      const termIds = new Set();
      for (const t of texts) {
        const matches = this.cache.get(t) || [];
        for (const m of matches) termIds.add(m.term_id);
        results.push(matches);
      }
      const terms = {};
      for (const id of termIds) {
        const term = this.terms.get(id);
        if (term) terms[id] = term;
      }
      return { results, terms };
    }

    async fetchChunk(settings, texts) {
      const body = { texts, offsets: 'utf16' };
      if (settings.glossaries.length) body.glossaries = settings.glossaries;
      this.requestsSent += 1;
      const answer = await request(settings, '/v1/match', { method: 'POST', body });
      if (!answer || !Array.isArray(answer.results) || answer.results.length !== texts.length) {
        throw new ServerError(ErrorKind.BAD_RESPONSE, 200, 'The server answer does not follow the /v1/match contract');
      }
      if (answer.glossary_version && answer.glossary_version !== this.version) {
        if (this.version !== null) this.reset();
        this.version = answer.glossary_version;
        this.checkedAt = Date.now();
      }
      for (const [id, term] of Object.entries(answer.terms || {})) {
        if (term && typeof term === 'object') this.terms.set(id, term);
      }
      texts.forEach((text, i) => {
        const matches = cleanMatches(answer.results[i] && answer.results[i].matches);
        if (matches) this.cache.set(text, matches);
      });
    }

    /** One term by id (for related terms the page itself did not mention). */
    async term(settings, id) {
      if (this.terms.has(id)) return this.terms.get(id);
      const term = await request(settings, `/v1/terms/${encodeURIComponent(id)}`);
      const value = term && term.term ? term : term && term.data;
      if (!value || typeof value !== 'object' || typeof value.term !== 'string') {
        throw new ServerError(ErrorKind.BAD_RESPONSE, 200, 'The server sent a term without a name');
      }
      this.terms.set(id, value);
      return value;
    }
  }

  /** The options page's "test connection": health first (no token needed), then a /v1 call. */
  async function testConnection(settings) {
    const health = await request(settings, '/healthz', { auth: false });
    const listing = await request(settings, '/v1/glossaries');
    const glossaries = Array.isArray(listing) ? listing : listing && listing.glossaries;
    if (!Array.isArray(glossaries)) {
      throw new ServerError(ErrorKind.BAD_RESPONSE, 200, 'GET /v1/glossaries did not return a list');
    }
    return {
      status: health && typeof health.status === 'string' ? health.status : 'ok',
      version: health && (health.glossary_version || health.version || null),
      glossaries: glossaries
        .filter((g) => g && typeof g.id === 'string')
        .map((g) => ({
          id: g.id,
          name: typeof g.name === 'string' ? g.name : g.id,
          terms: Number.isInteger(g.terms) ? g.terms : null,
        })),
    };
  }

  globalThis.termlightClient = Object.freeze({ ServerError, MatchClient, testConnection, request });
})();
