// @ts-check
/*
 * Which term ids each tab may look up. A content script asks for one term at a time (a related
 * term the page does not mention); the worker answers only for ids that already reached that
 * tab in a match answer, or that such a term lists as related. Anything else (an id typed by a
 * page, or by code that took over the content script) is refused, so a page cannot use the
 * extension to read the rest of a confidential glossary.
 *
 * The worker may be stopped between events, so each tab's list is mirrored into
 * chrome.storage.session (kept in memory by the browser, readable only by extension pages and
 * this worker) and read back when needed.
 */
(() => {
  'use strict';

  const KEY_PREFIX = 'tabterms:';

  class TabTerms {
    constructor() {
      /** @type {Map<number, Set<string>>} */
      this.byTab = new Map();
    }

    /** @param {number} tabId */
    async idsOf(tabId) {
      let ids = this.byTab.get(tabId);
      if (ids) return ids;
      ids = new Set();
      try {
        const key = KEY_PREFIX + tabId;
        const stored = await chrome.storage.session.get(key);
        if (Array.isArray(stored[key])) for (const id of stored[key]) ids.add(String(id));
      } catch {
        // no session storage (an old browser): memory only
      }
      const again = this.byTab.get(tabId);
      if (again) return again;
      this.byTab.set(tabId, ids);
      return ids;
    }

    /**
     * Note what a match answer sent to a tab: each term, and the terms it calls related.
     * @param {number} tabId
     * @param {Object<string, {related?: unknown}>} terms
     */
    async record(tabId, terms) {
      const ids = await this.idsOf(tabId);
      const before = ids.size;
      for (const [id, term] of Object.entries(terms || {})) {
        ids.add(id);
        if (term && Array.isArray(term.related)) for (const r of term.related) if (typeof r === 'string') ids.add(r);
      }
      if (ids.size !== before) this.persist(tabId, ids);
    }

    /**
     * @param {number} tabId
     * @param {string} id
     */
    async allows(tabId, id) {
      return (await this.idsOf(tabId)).has(id);
    }

    /** A new document in the tab starts from nothing. @param {number} tabId */
    forget(tabId) {
      this.byTab.set(tabId, new Set());
      chrome.storage.session.remove(KEY_PREFIX + tabId).catch(() => {});
    }

    /**
     * @param {number} tabId
     * @param {Set<string>} ids
     */
    persist(tabId, ids) {
      chrome.storage.session.set({ [KEY_PREFIX + tabId]: [...ids] }).catch(() => {});
    }
  }

  globalThis.termlightTabTerms = Object.freeze({ TabTerms });
})();
