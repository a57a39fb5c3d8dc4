// @ts-check
/*
 * The popup's glossary search: GET /v1/terms?q= through the worker, which holds the token.
 * Only the popup may ask (the protocol refuses it from pages), and only a short query.
 */
(() => {
  'use strict';

  const { ToWorker, ErrorKind, failure } = globalThis.termlightProtocol;
  const { errorOf } = globalThis.termlightRouter;
  const { request } = globalThis.termlightClient;

  const MAX_QUERY = 200;
  const MAX_RESULTS = 12;

  /** @param {{settings: any}} deps */
  function searchHandlers({ settings }) {
    return {
      /** @param {{q?: unknown}} msg */
      async [ToWorker.SEARCH](msg) {
        const q = typeof msg.q === 'string' ? msg.q.trim() : '';
        if (!q || q.length > MAX_QUERY) return failure(ErrorKind.BAD_REQUEST, 'type a few letters to search');
        const s = await settings.load();
        try {
          const answer = await request(s, `/v1/terms?q=${encodeURIComponent(q)}`);
          const list = answer && answer.terms; // GET /v1/terms answers {terms, count, glossary_version}
          if (!Array.isArray(list)) return failure(ErrorKind.BAD_RESPONSE, 'GET /v1/terms did not return a list');
          const terms = list
            .filter((t) => t && typeof t.id === 'string' && typeof t.term === 'string')
            .slice(0, MAX_RESULTS)
            .map((t) => ({ id: t.id, term: t.term, definition: typeof t.definition === 'string' ? t.definition : '',
              glossary: typeof t.glossary === 'string' ? t.glossary : '' }));
          return { terms, count: list.length };
        } catch (err) {
          return errorOf(err);
        }
      },
    };
  }

  globalThis.termlightSearch = Object.freeze({ searchHandlers });
})();
