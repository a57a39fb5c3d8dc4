// @ts-check
/*
 * What an existing install becomes on update. Before 0.2.0 a static content script read every
 * http(s) page. Chrome granted that reach only through the static content script, which is
 * gone, so there is nothing to carry over silently: an update lands in "on sites I choose"
 * (with its disable list, server and token kept) and remembers `migratedFrom`, which the
 * options page and the popup turn into a one-line note explaining the change and where to
 * pick "every site" again.
 */
(() => {
  'use strict';

  /** -1, 0 or 1, comparing dotted version strings numerically. @param {string} a @param {string} b */
  function compareVersions(a, b) {
    const pa = String(a).split('.').map((n) => Number.parseInt(n, 10) || 0);
    const pb = String(b).split('.').map((n) => Number.parseInt(n, 10) || 0);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const d = (pa[i] || 0) - (pb[i] || 0);
      if (d) return d < 0 ? -1 : 1;
    }
    return 0;
  }

  const SITE_ACCESS_VERSION = '0.2.0';

  /** @param {chrome.runtime.InstalledDetails} details */
  async function migrate(details) {
    if (!details || details.reason !== 'update') return;
    const previous = details.previousVersion || '0';
    if (compareVersions(previous, SITE_ACCESS_VERSION) >= 0) return;
    const stored = await chrome.storage.local.get(['mode']);
    if (stored.mode) return;
    await chrome.storage.local.set({ mode: 'sites', migratedFrom: previous });
  }

  globalThis.termlightMigrate = Object.freeze({ migrate, compareVersions, SITE_ACCESS_VERSION });
})();
