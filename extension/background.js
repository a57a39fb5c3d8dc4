// @ts-check
/*
 * The background worker: the middleman between content scripts and the termlight server.
 * This file only wires the pieces together; each feature lives in its own file under
 * background/, and every message name and error kind comes from shared/protocol.js.
 *
 * Chrome runs this file as a service worker and pulls in the helpers with importScripts;
 * Firefox runs the manifest's `background.scripts` list, where the helpers are already loaded.
 * Every listener is registered synchronously at the top level so an asleep worker wakes up
 * for it.
 */
if (typeof importScripts === 'function' && !globalThis.termlightClient) {
  importScripts(
    'shared/protocol.js',
    'shared/sites.js',
    'shared/policy.js',
    'shared/settings.js',
    'matcher/context.js',
    'background/cache.js',
    'background/client.js',
    'matcher/tables.js',
    'matcher/normalize.js',
    'matcher/matcher.js',
    'background/compiledstore.js',
    'background/localmatch.js',
    'background/badge.js',
    'background/router.js',
    'background/tabterms.js',
    'background/budget.js',
    'background/matching.js',
    'background/connection.js',
    'background/search.js',
    'background/siteaccess.js',
    'background/migrate.js',
    'background/suggest.js',
  );
}

(() => {
  'use strict';

  const { ToWorker, ToContent, send } = globalThis.termlightProtocol;
  const settings = globalThis.termlightSettings;
  const sites = globalThis.termlightSites;
  const { MatchClient } = globalThis.termlightClient;
  const badge = globalThis.termlightBadge;
  const { TabTerms } = globalThis.termlightTabTerms;

  // The token lives in storage.local: only extension pages and this worker may read it, never a
  // content script (Chromium; Firefox has no such switch for storage.local, see the README).
  // A token set by policy sits in storage.managed, closed the same way.
  for (const area of [chrome.storage.local, chrome.storage.managed]) {
    try {
      if (area && typeof area.setAccessLevel === 'function') {
        area.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => {});
      }
    } catch {
      // this browser does not offer it for that area
    }
  }

  const client = new MatchClient();
  const local = new globalThis.termlightLocalMatch.LocalMatching();
  const tabTerms = new TabTerms();
  const budget = new globalThis.termlightBudget.UploadBudget();
  const siteAccess = globalThis.termlightSiteAccess.createSiteAccess({ settings });

  /**
   * What a content script needs to know; never the token.
   * @param {string} url
   * @param {number} tabId
   * @returns {Promise<PageConfig>}
   */
  async function pageConfig(url, tabId) {
    const s = await settings.load();
    let host = '';
    try {
      host = sites.stripDot(new URL(url).hostname);
    } catch {
      // not a URL: nothing is allowed below
    }
    const siteDisabled = !(await siteAccess.allowed(url, tabId, s)) || settings.isSiteDisabled(host, s.disabledSites);
    return {
      active: s.enabled && !siteDisabled,
      enabled: s.enabled,
      siteDisabled,
      host,
      occurrences: s.occurrences,
      skipCode: s.skipCode,
    };
  }

  const handlers = {
    ...globalThis.termlightMatching.matchingHandlers({ client, local, settings, tabTerms, badge, budget }),
    ...globalThis.termlightConnection.connectionHandlers({ settings }),
    ...globalThis.termlightSearch.searchHandlers({ settings }),
    ...siteAccess.handlers,
    ...globalThis.termlightSuggest.suggestHandlers({ settings }),

    /** @param {any} msg @param {chrome.runtime.MessageSender} sender */
    async [ToWorker.HELLO](msg, sender) {
      const tabId = sender.tab && typeof sender.tab.id === 'number' ? sender.tab.id : -1;
      tabTerms.forget(tabId); // a new document: nothing shown yet
      const config = await pageConfig(sender.url || '', tabId);
      if (!config.active) badge.showOff(tabId);
      return config;
    },

    /** @param {any} msg @param {chrome.runtime.MessageSender} sender */
    async [ToWorker.STATS](msg, sender) {
      const tabId = sender.tab && typeof sender.tab.id === 'number' ? sender.tab.id : -1;
      if (msg.error) badge.showError(tabId, msg.error);
      else if (msg.active === false) badge.showOff(tabId);
      else badge.showCount(tabId, Number(msg.count) || 0);
      return { ok: true };
    },

  };

  globalThis.termlightRouter.listen(handlers);

  /**
   * The keyboard command is handled by the page's content script, which owns the panel.
   * @param {string} command
   * @param {chrome.tabs.Tab | undefined} tab
   */
  async function handleCommand(command, tab) {
    if (command !== 'toggle-panel') return false;
    let target = tab;
    if (!target || typeof target.id !== 'number') {
      [target] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    }
    if (!target || typeof target.id !== 'number') return false;
    const reply = await send({ type: ToContent.TOGGLE_PANEL }, target.id);
    return !reply.error; // no content script on chrome://, the web store…
  }

  chrome.commands.onCommand.addListener((command, tab) => {
    handleCommand(command, tab);
  });

  chrome.tabs.onRemoved.addListener((tabId) => {
    tabTerms.forget(tabId);
    siteAccess.forgetTab(tabId);
    budget.forget(tabId);
  });

  /** Keys that change which pages the content scripts are registered for. */
  const ACCESS_KEYS = ['enabled', 'mode', 'sites', 'serverUrl'];

  /** Settings changed (options page or popup): drop stale answers and tell every tab. */
  chrome.storage.onChanged.addListener(async (changes, area) => {
    if (area !== 'local' && area !== 'managed') return;
    if (changes.serverUrl || changes.token || changes.glossaries || area === 'managed') client.reset();
    if (changes.serverUrl || changes.token || changes.matchMode || area === 'managed') local.reset();
    const keys = Object.keys(changes);
    if (area === 'managed' || keys.some((k) => ACCESS_KEYS.includes(k))) await siteAccess.sync().catch(() => {});
    const tabs = await chrome.tabs.query({});
    for (const tab of tabs) {
      if (typeof tab.id === 'number') send({ type: ToContent.SETTINGS_CHANGED, keys }, tab.id);
    }
  });

  chrome.permissions.onAdded.addListener(() => siteAccess.sync().catch(() => {}));
  chrome.permissions.onRemoved.addListener(() => siteAccess.sync().catch(() => {}));
  chrome.runtime.onInstalled.addListener(() => globalThis.termlightSuggest.createMenu());
  chrome.runtime.onStartup.addListener(() => globalThis.termlightSuggest.createMenu());
  chrome.runtime.onInstalled.addListener((details) => {
    globalThis.termlightMigrate.migrate(details).finally(() => siteAccess.sync().catch(() => {}));
  });
  chrome.runtime.onStartup.addListener(() => siteAccess.sync().catch(() => {}));
  const ready = siteAccess.sync().catch(() => []);

  // Exposed for the browser tests and for debugging from the worker's own console.
  globalThis.termlightBackground = Object.freeze({ handleCommand, client, local, tabTerms, siteAccess, budget, ready });
})();
