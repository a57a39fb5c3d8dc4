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
  const { applyContextRule } = globalThis.termlightContext;
  const { ErrorKind } = globalThis.termlightProtocol;
  const { isInsecureServer } = globalThis.termlightSettings;

  /** Keep each request well under the server's default limits (5 MiB body, 10,000 texts). */
  const MAX_TEXTS_PER_REQUEST = 2000;
  const MAX_CHARS_PER_REQUEST = 1_000_000;
  const TIMEOUT_MS = 15000;
  const RETRY_DELAYS_MS = [300, 1200];
  /** Before answering from the cache, ask the server whether the glossary changed, at most this often. */
  const REVALIDATE_MS = 2000;

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
  async function request(settings, path, { method = 'GET', body, auth = true, ifNoneMatch, raw = false } = {}) {
    if (isInsecureServer(settings.serverUrl) && !settings.insecureOk) {
      throw new ServerError(
        ErrorKind.INSECURE,
        0,
        'The server URL is plain http:// on another machine; confirm in the options that your token and pages may travel unencrypted, or use https://',
      );
    }
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (ifNoneMatch) headers['If-None-Match'] = ifNoneMatch;
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
      if (raw && response.status === 304) return { notModified: true };
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
      // raw: the body as text with its ETag, for a caller that keeps and revalidates it.
      if (raw) return { text: await response.text(), etag: response.headers.get('ETag') };
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
      const match = { start: m.start, end: m.end, term_id: m.term_id, text: m.text };
      if (typeof m.why === 'string') match.why = m.why;
      if (Array.isArray(m.alternatives)) match.alternatives = m.alternatives.filter((a) => typeof a === 'string');
      out.push(match);
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
   * Matches texts through the cache: only texts not seen before are sent. The cache holds each
   * text's matches as the server answers them with the context rule off (rule 9 of "How
   * matching works"); the rule is applied here over the texts of each request, so a paragraph
   * sent once still counts as context for the ones sent later with it.
   *
   * Fresh definitions: before answering (a page's texts, or a term for the popover) the client
   * revalidates GET /v1/glossaries with its ETag, at most every REVALIDATE_MS; a new
   * glossary_version (from there or from any answer) empties the cache and the terms. A batch
   * is assembled from the answers of its own requests, never re-read from the cache, so a
   * version change while its requests are in flight (workers answering with two versions
   * during a reload) cannot lose its results.
   */
  class MatchClient {
    constructor() {
      this.cache = new MatchCache();
      this.terms = new Map();
      this.version = null;
      this.contextMin = 0;
      this.glossaryNames = {};
      this.etag = null;
      this.checkedAt = -Infinity;
      this.checking = null;
    }

    reset() {
      this.cache.clear();
      this.terms.clear();
      this.version = null;
      this.etag = null;
      this.checkedAt = -Infinity;
    }

    /** Adopt the glossary version the server reports; a different one makes everything stale. */
    seeVersion(version) {
      if (!version || version === this.version) return;
      if (this.version !== null) {
        this.cache.clear();
        this.terms.clear();
      }
      this.version = version;
    }

    /**
     * Ask the server whether the glossary changed (ETag, so usually a 304), at most every
     * REVALIDATE_MS. A failure here is not reported: the request that follows (a match or a
     * term) meets the same server and reports its own error, and the next call looks again.
     */
    async revalidate(settings) {
      if (Date.now() - this.checkedAt < REVALIDATE_MS) return;
      if (!this.checking) {
        this.checking = (async () => {
          try {
            const answer = await request(settings, '/v1/glossaries', { ifNoneMatch: this.etag, raw: true });
            if (!answer.notModified) {
              answer.json = JSON.parse(answer.text);
              this.etag = answer.etag;
              if (Number.isInteger(answer.json.context_min)) this.contextMin = answer.json.context_min;
              if (Array.isArray(answer.json.glossaries)) {
                this.glossaryNames = {};
                for (const g of answer.json.glossaries) {
                  if (g && typeof g.id === 'string') this.glossaryNames[g.id] = typeof g.name === 'string' ? g.name : g.id;
                }
              }
              this.seeVersion(answer.json.glossary_version);
            }
            this.checkedAt = Date.now();
          } catch {
            // see above
          } finally {
            this.checking = null;
          }
        })();
      }
      await this.checking;
    }

    /** The texts the cache cannot answer: what a match call would send. */
    missing(texts) {
      return [...new Set(texts.filter((t) => this.cache.get(t) === undefined))];
    }

    /** @param {[string, string][]} [known] terms the page already showed (see applyContextRule) */
    async match(settings, texts, known = []) {
      await this.revalidate(settings);
      const found = new Map();
      /** @type {string[]} */
      const missing = [];
      for (const t of new Set(texts)) {
        const cached = this.cache.get(t);
        if (cached === undefined) missing.push(t);
        else found.set(t, cached);
      }
      const terms = {};
      if (missing.length) {
        const answers = await Promise.all(chunk(missing).map((part) => this.fetchChunk(settings, part)));
        for (const answer of answers) {
          for (const [t, matches] of answer.results) found.set(t, matches);
          Object.assign(terms, answer.terms);
        }
      }
      const glossaryOf = (id) => {
        const term = terms[id] || this.terms.get(id);
        return term && typeof term.glossary === 'string' ? term.glossary : '';
      };
      const results = applyContextRule(texts.map((t) => found.get(t) || []), glossaryOf, this.contextMin, known);
      for (const list of results) {
        for (const m of list) {
          for (const id of [m.term_id, ...(m.alternatives || [])]) {
            if (!terms[id] && this.terms.has(id)) terms[id] = this.terms.get(id);
          }
        }
      }
      return { results, terms, glossaries: { ...this.glossaryNames } };
    }

    /** One request; its own results and terms, whatever happens to the cache meanwhile. */
    async fetchChunk(settings, texts) {
      const body = { texts, offsets: 'utf16', context_rule: false };
      if (settings.glossaries.length) body.glossaries = settings.glossaries;
      const answer = await request(settings, '/v1/match', { method: 'POST', body });
      if (!answer || !Array.isArray(answer.results) || answer.results.length !== texts.length) {
        throw new ServerError(ErrorKind.BAD_RESPONSE, 200, 'The server answer does not follow the /v1/match contract');
      }
      this.seeVersion(answer.glossary_version);
      const terms = {};
      for (const [id, term] of Object.entries(answer.terms || {})) {
        if (term && typeof term === 'object') {
          terms[id] = term;
          if (answer.glossary_version === this.version) this.terms.set(id, term);
        }
      }
      const results = [];
      texts.forEach((text, i) => {
        const matches = cleanMatches(answer.results[i] && answer.results[i].matches) || [];
        if (answer.glossary_version === this.version) this.cache.set(text, matches);
        results.push([text, matches]);
      });
      return { results, terms };
    }

    /** One term by id: for the popover (fresh after a glossary edit) and for related terms. */
    async term(settings, id) {
      await this.revalidate(settings);
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
