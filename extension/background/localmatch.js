// @ts-check
/*
 * Local matching: the worker matches page text itself with the compiled glossary of
 * GET /v1/compiled (extension/matcher), so the text never leaves the browser. The compiled
 * glossary is kept in memory and in IndexedDB (compiledstore.js) and revalidated with its
 * ETag at most every REVALIDATE_MS; a server that is down leaves the last copy in use.
 *
 * Modes (the `matchMode` setting, also set by managed policy):
 *   'auto'   local when the server offers /v1/compiled, else the server matches (the default);
 *   'local'  always local; a server without /v1/compiled is an error, and no text is sent;
 *   'server' the server matches (POST /v1/match), as before.
 */
(() => {
  'use strict';

  const { LocalMatcher } = globalThis.termlightMatcher;
  const { ServerError, request } = globalThis.termlightClient;
  const { ErrorKind } = globalThis.termlightProtocol;
  const store = globalThis.termlightCompiledStore;

  // Short enough that an edited glossary shows on the next page load within 5 s of the server's
  // reload (issue 11); a check is a conditional GET, answered 304 while nothing changed.
  const REVALIDATE_MS = 3_000;
  const CHECK_WAIT_MS = 300; // how long a page may wait for a due check before the copy answers
  const STALE = Symbol('stale');
  const UNSUPPORTED_RETRY_MS = 5 * 60_000; // a server without /v1/compiled is asked again after this

  class LocalMatching {
    constructor() {
      this.reset();
    }

    /** Forget what is in memory (settings changed); the IndexedDB copy stays for revalidation. */
    reset() {
      /** @type {{serverUrl: string, etag: string, matcher: any, checkedAt: number} | null} */
      this.current = null;
      /** @type {Map<string, number>} server URL -> when it said it has no /v1/compiled */
      this.unsupported = new Map();
      /** @type {Promise<any> | null} */
      this.pending = null;
      /** @type {Promise<any> | null} */
      this.loading = null;
    }

    /**
     * Whether texts are matched here for these settings (else the caller asks the server).
     * @param {{matchMode: string, serverUrl: string, token: string}} settings
     */
    async usable(settings) {
      if (settings.matchMode === 'server') return false;
      const matcher = await this.matcher(settings);
      if (matcher) return true;
      if (settings.matchMode === 'local') {
        throw new ServerError(ErrorKind.HTTP, 404,
          'Matching in the browser is on, but the server offers no compiled glossary (GET /v1/compiled)');
      }
      return false;
    }

    /**
     * The matcher for the settings' server, from memory, IndexedDB or the server; null when the
     * server has no /v1/compiled. When a copy in hand is due for a check, the check gets
     * CHECK_WAIT_MS; if it takes longer the copy answers and the next call sees the outcome
     * (stale-while-revalidate), so a page never waits long for the server. A refused token or a
     * removed route drops the copy.
     * @param {{serverUrl: string, token: string}} settings
     */
    async matcher(settings) {
      const { serverUrl } = settings;
      const since = this.unsupported.get(serverUrl);
      if (since !== undefined && Date.now() - since < UNSUPPORTED_RETRY_MS) return null;
      let current = this.current && this.current.serverUrl === serverUrl ? this.current : null;
      if (!current) current = await this.loadStored(serverUrl);
      if (current && Date.now() - current.checkedAt < REVALIDATE_MS) return current.matcher;
      if (!this.pending) {
        this.pending = this.refresh(settings).finally(() => {
          this.pending = null;
        });
      }
      if (!current) return this.pending;
      // The check usually answers in milliseconds (a 304), and then its outcome is used at once;
      // a slow server does not hold the page longer than CHECK_WAIT_MS: the copy in hand answers.
      this.pending.catch(() => {}); // a late failure is reported by the next call
      const waited = await Promise.race([this.pending, new Promise((resolve) => {
        setTimeout(() => resolve(STALE), CHECK_WAIT_MS);
      })]);
      return waited === STALE ? current.matcher : waited;
    }

    /** The copy kept in IndexedDB, as the current one (due for a check), or null. */
    async loadStored(serverUrl) {
      if (!this.loading) {
        this.loading = (async () => {
          const record = await store.get(serverUrl);
          if (this.current && this.current.serverUrl === serverUrl) return this.current;
          if (!record) return null;
          try {
            this.current = { serverUrl, etag: record.etag, matcher: new LocalMatcher(JSON.parse(record.body)), checkedAt: 0 };
          } catch {
            return null; // an old format: a new copy is fetched
          }
          return this.current;
        })().finally(() => {
          this.loading = null;
        });
      }
      return this.loading;
    }

    /** @param {{serverUrl: string, token: string}} settings */
    async refresh(settings) {
      const { serverUrl } = settings;
      const known = this.current && this.current.serverUrl === serverUrl ? this.current : null;
      let answer;
      try {
        answer = await request(settings, '/v1/compiled', { ifNoneMatch: known ? known.etag : undefined, raw: true });
      } catch (err) {
        if (err instanceof ServerError && err.status === 404) {
          this.unsupported.set(serverUrl, Date.now());
          this.current = null;
          return null;
        }
        if (known && err instanceof ServerError && err.kind === ErrorKind.UNREACHABLE) {
          // Offline or restarting: keep matching with the copy we have, ask again later.
          this.current = { ...known, checkedAt: Date.now() };
          return known.matcher;
        }
        this.current = null; // not used again before the server answers
        // A refused token loses the copy on disk too: it must not keep a revoked reader going.
        if (err instanceof ServerError && err.kind === ErrorKind.AUTH) await store.remove(serverUrl);
        throw err;
      }
      if (answer.notModified && known) {
        this.current = { ...known, checkedAt: Date.now() };
        return known.matcher;
      }
      let matcher;
      try {
        matcher = new LocalMatcher(JSON.parse(answer.text));
      } catch (err) {
        throw new ServerError(ErrorKind.BAD_RESPONSE, 200, `The compiled glossary cannot be read: ${err.message}`);
      }
      this.current = { serverUrl, etag: answer.etag || '', matcher, checkedAt: Date.now() };
      if (answer.etag) await store.put({ serverUrl, etag: answer.etag, body: answer.text, savedAt: Date.now() });
      return matcher;
    }

    /**
     * Match texts here. The terms come back as names only ({term, partial: true}): the
     * definition is fetched from the server when the reader hovers one (GET /v1/terms/<id>).
     * @param {{serverUrl: string, token: string, glossaries: string[]}} settings
     * @param {string[]} texts
     */
    async match(settings, texts, known = []) {
      const matcher = await this.matcher(settings);
      if (!matcher) throw new ServerError(ErrorKind.HTTP, 404, 'The server offers no compiled glossary');
      // The texts of one message are the blocks of one page: the context rule of ambiguous
      // forms spans them, as it spans the texts of one POST /v1/match.
      const options = { glossaries: settings.glossaries.length ? settings.glossaries : null, context: true, known };
      // Already the shape POST /v1/match answers: alternatives only where there are some.
      const results = matcher.matchAll(texts, options);
      /** @type {Object<string, {id: string, term: string, glossary: string, partial: true}>} */
      const terms = {};
      for (const list of results) {
        for (const m of list) {
          // The other meanings too: the popover shows them (their definitions come on hover).
          for (const id of [m.term_id, ...(m.alternatives || [])]) {
            if (!terms[id]) terms[id] = { id, term: matcher.nameOf(id), glossary: matcher.glossaryOf(id), partial: true };
          }
        }
      }
      return { results, terms, local: true };
    }
  }

  globalThis.termlightLocalMatch = Object.freeze({ LocalMatching, REVALIDATE_MS });
})();
