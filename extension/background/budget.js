// @ts-check
/*
 * The per-tab upload budget: a page cannot make termlight drive the server. Each tab may send
 * at most BUDGET_BYTES of request bodies to /v1/match in any 60-second window (a sliding window
 * over what was actually sent; answers from the cache cost nothing). A normal article is
 * 20-200 kB, so reading a page, scrolling an infinite feed or following a live page stays far
 * below it; a page that rewrites 5 MB of text every second is held to 2 MB a minute.
 *
 * Over budget, the match request is refused with ErrorKind.BUDGET before anything is sent;
 * the content script keeps what it has drawn and tries again later (scan.js backs off).
 */
(() => {
  'use strict';

  const BUDGET_BYTES = 2_000_000;
  const WINDOW_MS = 60_000;

  class UploadBudget {
    constructor(limit = BUDGET_BYTES, windowMs = WINDOW_MS) {
      this.limit = limit;
      this.windowMs = windowMs;
      /** @type {Map<number, Array<[number, number]>>} tab -> [time, bytes] entries */
      this.spent = new Map();
    }

    /** @param {number} tabId @param {number} now */
    used(tabId, now = Date.now()) {
      const entries = (this.spent.get(tabId) || []).filter(([t]) => now - t < this.windowMs);
      this.spent.set(tabId, entries);
      return entries.reduce((sum, [, bytes]) => sum + bytes, 0);
    }

    /**
     * Take `bytes` from the tab's budget; false (and nothing taken) when they do not fit.
     * @param {number} tabId
     * @param {number} bytes
     */
    take(tabId, bytes, now = Date.now()) {
      if (bytes <= 0) return true;
      if (this.used(tabId, now) + bytes > this.limit) return false;
      /** @type {Array<[number, number]>} */ (this.spent.get(tabId)).push([now, bytes]);
      return true;
    }

    /** @param {number} tabId */
    forget(tabId) {
      this.spent.delete(tabId);
    }
  }

  globalThis.termlightBudget = Object.freeze({ UploadBudget, BUDGET_BYTES, WINDOW_MS });
})();
