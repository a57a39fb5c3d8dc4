/*
 * The background worker: the middleman between content scripts and the termlight server.
 *
 * Chrome runs this file as a service worker and pulls in the helpers with importScripts;
 * Firefox runs the manifest's `background.scripts` list, where the helpers are already loaded.
 * Every listener is registered synchronously at the top level so an asleep worker wakes up
 * for it.
 */
if (typeof importScripts === 'function' && !globalThis.termlightClient) {
  importScripts('shared/settings.js', 'background/cache.js', 'background/client.js', 'background/badge.js');
}

(() => {
  'use strict';

  const settingsApi = globalThis.termlightSettings;
  const { MatchClient, testConnection, ServerError } = globalThis.termlightClient;
  const badge = globalThis.termlightBadge;

  const client = new MatchClient();

  function hostOf(url) {
    try {
      return new URL(url).hostname;
    } catch {
      return '';
    }
  }

  /** What a content script needs to know; never the token. */
  async function pageConfig(url) {
    const s = await settingsApi.load();
    const host = hostOf(url);
    const siteDisabled = settingsApi.isSiteDisabled(host, s.disabledSites);
    return {
      active: s.enabled && !siteDisabled,
      enabled: s.enabled,
      siteDisabled,
      host,
      occurrences: s.occurrences,
      skipCode: s.skipCode,
    };
  }

  function errorOf(err) {
    if (err instanceof ServerError) return err.toJSON();
    return { kind: 'http', status: 0, message: String((err && err.message) || err) };
  }

  const handlers = {
    async hello(msg, sender) {
      const config = await pageConfig(sender.url || (sender.tab && sender.tab.url) || msg.url);
      if (!config.active && sender.tab) badge.showOff(sender.tab.id);
      return config;
    },

    async match(msg, sender) {
      const tabId = sender.tab ? sender.tab.id : -1;
      if (!Array.isArray(msg.texts) || !msg.texts.every((t) => typeof t === 'string')) {
        return { error: { kind: 'bad-request', status: 0, message: 'texts must be strings' } };
      }
      const s = await settingsApi.load();
      try {
        return await client.match(s, msg.texts);
      } catch (err) {
        const error = errorOf(err);
        badge.showError(tabId, error);
        return { error };
      }
    },

    async term(msg) {
      const s = await settingsApi.load();
      try {
        return { term: await client.term(s, String(msg.id)) };
      } catch (err) {
        return { error: errorOf(err) };
      }
    },

    async stats(msg, sender) {
      const tabId = sender.tab ? sender.tab.id : -1;
      if (msg.error) badge.showError(tabId, msg.error);
      else if (msg.active === false) badge.showOff(tabId);
      else badge.showCount(tabId, Number(msg.count) || 0);
      return { ok: true };
    },

    /** From the options page: test the values in the form, before they are saved. */
    async test(msg) {
      const saved = await settingsApi.load();
      const serverUrl = settingsApi.normalizeServerUrl(msg.serverUrl || saved.serverUrl);
      if (!serverUrl) return { error: { kind: 'bad-request', status: 0, message: 'That is not an http(s) URL' } };
      const token = typeof msg.token === 'string' ? msg.token.trim() : saved.token;
      try {
        return { result: await testConnection({ ...saved, serverUrl, token }) };
      } catch (err) {
        return { error: errorOf(err) };
      }
    },

    async counters() {
      return { requestsSent: client.requestsSent, cached: client.cache.size };
    },
  };

  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    const handler = msg && Object.prototype.hasOwnProperty.call(handlers, msg.type) ? handlers[msg.type] : null;
    if (!handler || sender.id !== chrome.runtime.id) return false;
    handler(msg, sender).then(sendResponse, (err) => sendResponse({ error: errorOf(err) }));
    return true; // the answer comes asynchronously
  });

  /** The keyboard command is handled by the page's content script, which owns the panel. */
  async function handleCommand(command, tab) {
    if (command !== 'toggle-panel') return false;
    let target = tab;
    if (!target || typeof target.id !== 'number') {
      [target] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    }
    if (!target) return false;
    try {
      await chrome.tabs.sendMessage(target.id, { type: 'toggle-panel' });
      return true;
    } catch {
      return false; // a page where content scripts do not run (chrome://, the web store…)
    }
  }

  chrome.commands.onCommand.addListener((command, tab) => {
    handleCommand(command, tab);
  });

  /** Settings changed (options page or popup): drop stale answers and tell every tab. */
  chrome.storage.onChanged.addListener(async (changes, area) => {
    if (area !== 'local') return;
    if (changes.serverUrl || changes.token || changes.glossaries) client.reset();
    const keys = Object.keys(changes);
    const tabs = await chrome.tabs.query({});
    for (const tab of tabs) {
      chrome.tabs.sendMessage(tab.id, { type: 'settings-changed', keys }).catch(() => {});
    }
  });

  // Exposed for the browser tests and for debugging from the worker's own console.
  globalThis.termlightBackground = Object.freeze({ handleCommand, client });
})();
