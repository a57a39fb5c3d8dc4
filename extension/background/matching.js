// @ts-check
/*
 * The content script's two questions: "which terms are in these texts?" (match) and "what
 * is this related term?" (term). Answers go through the MatchClient's cache; a term is only
 * looked up for ids that reached the asking tab before (see tabterms.js).
 */
(() => {
  'use strict';

  const protocol = globalThis.termlightProtocol;
  const { ToWorker, ErrorKind, failure } = protocol;
  const { errorOf } = globalThis.termlightRouter;

  const encoder = new TextEncoder();

  /**
   * @param {{client: any, local: any, settings: any, tabTerms: any, badge: any, budget: any}} deps
   */
  /** At most this many already-shown terms travel with a batch as its context. */
  const MAX_KNOWN = 500;

  function matchingHandlers({ client, local, settings, tabTerms, badge, budget }) {
    return {
      /** @param {MatchRequest} msg @param {chrome.runtime.MessageSender} sender */
      async [ToWorker.MATCH](msg, sender) {
        const tabId = sender.tab ? sender.tab.id : -1;
        if (!Array.isArray(msg.texts) || !msg.texts.every((t) => typeof t === 'string')) {
          return failure(ErrorKind.BAD_REQUEST, 'texts must be strings');
        }
        // Terms the page already shows through unambiguous forms: context for this batch (rule 9).
        const known = Array.isArray(msg.known)
          ? msg.known.filter((k) => Array.isArray(k) && k.length === 2 && k.every((v) => typeof v === 'string')).slice(0, MAX_KNOWN)
          : [];
        const s = await settings.load();
        // Local matching (localmatch.js) keeps the text here; otherwise the server matches, and
        // what goes to it comes out of the tab's upload budget (budget.js).
        const matchLocally = await local.usable(s);
        if (!matchLocally) {
          const bytes = encoder.encode(JSON.stringify(client.missing(msg.texts))).length;
          if (!budget.take(tabId, bytes)) {
            return failure(ErrorKind.BUDGET, 'This page changes faster than termlight may send it; it catches up within a minute');
          }
        }
        try {
          const reply = matchLocally ? await local.match(s, msg.texts, known) : await client.match(s, msg.texts, known);
          await tabTerms.record(tabId, reply.terms);
          return reply;
        } catch (err) {
          const reply = errorOf(err);
          badge.showError(tabId, reply.error);
          return reply;
        }
      },

      /** @param {TermRequest} msg @param {chrome.runtime.MessageSender} sender */
      async [ToWorker.TERM](msg, sender) {
        const tabId = sender.tab ? sender.tab.id : -1;
        const id = typeof msg.id === 'string' ? msg.id : '';
        if (!id || !(await tabTerms.allows(tabId, id))) {
          return failure(ErrorKind.FORBIDDEN, 'that term was not shown on this page');
        }
        const s = await settings.load();
        try {
          const term = await client.term(s, id);
          await tabTerms.record(tabId, { [id]: term });
          return { term, glossaries: { ...client.glossaryNames } };
        } catch (err) {
          return errorOf(err);
        }
      },
    };
  }

  globalThis.termlightMatching = Object.freeze({ matchingHandlers });
})();
