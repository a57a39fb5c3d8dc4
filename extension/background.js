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
    'shared/settings.js',
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
    'background/matching.js',
    'background/connection.js',
  );
}

(() => {
  'use strict';

  const { ToWorker, ToContent, send } = globalThis.termlightProtocol;
  const settings = globalThis.termlightSettings;
  const { MatchClient } = globalThis.termlightClient;
  const badge = globalThis.termlightBadge;
  const { TabTerms } = globalThis.termlightTabTerms;

  const client = new MatchClient();
  const local = new globalThis.termlightLocalMatch.LocalMatching();
  const tabTerms = new TabTerms();

  /** @param {string | undefined} url */
  function hostOf(url) {
    try {
      return new URL(url || '').hostname;
    } catch {
      return '';
    }
  }

  /**
   * What a content script needs to know; never the token.
   * @param {string | undefined} url
   * @returns {Promise<import('./shared/protocol.js').PageConfig>}
   */
  async function pageConfig(url) {
    const s = await settings.load();
    const host = hostOf(url);
    const siteDisabled = settings.isSiteDisabled(host, s.disabledSites);
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
    ...globalThis.termlightMatching.matchingHandlers({ client, local, settings, tabTerms, badge }),
    ...globalThis.termlightConnection.connectionHandlers({ settings }),

    /** @param {any} msg @param {chrome.runtime.MessageSender} sender */
    async [ToWorker.HELLO](msg, sender) {
      const tabId = sender.tab && typeof sender.tab.id === 'number' ? sender.tab.id : -1;
      tabTerms.forget(tabId); // a new document: nothing shown yet
      const config = await pageConfig(sender.url);
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

    async [ToWorker.COUNTERS]() {
      return { requestsSent: client.requestsSent, cached: client.cache.size };
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

  chrome.tabs.onRemoved.addListener((tabId) => tabTerms.forget(tabId));

  /** Settings changed (options page or popup): drop stale answers and tell every tab. */
  chrome.storage.onChanged.addListener(async (changes, area) => {
    if (area !== 'local') return;
    if (changes.serverUrl || changes.token || changes.glossaries) client.reset();
    if (changes.serverUrl || changes.token || changes.matchMode) local.reset();
    const keys = Object.keys(changes);
    const tabs = await chrome.tabs.query({});
    for (const tab of tabs) {
      if (typeof tab.id === 'number') send({ type: ToContent.SETTINGS_CHANGED, keys }, tab.id);
    }
  });

  // Exposed for the browser tests and for debugging from the worker's own console.
  globalThis.termlightBackground = Object.freeze({ handleCommand, client, local, tabTerms });
})();
