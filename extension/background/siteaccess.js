// @ts-check
/*
 * Site access in the worker: the content scripts are registered at run time
 * (chrome.scripting.registerContentScripts, which Firefox's MV3 `scripting` API has too) for
 * exactly the pages shared/sites.js allows, and registered again whenever the settings or the
 * granted permissions change. The manifest has no static content script, so no web page gets
 * termlight's code (nor host permission) unless the person chose it.
 *
 * "Highlight this page" from the popup works through activeTab: the click on the toolbar
 * button lets the extension into that one tab until it navigates away; the tab's site is
 * remembered (in storage.session) so the content script's "may I run?" gets a yes.
 */
(() => {
  'use strict';

  const { ToWorker, ToContent, ErrorKind, failure, send } = globalThis.termlightProtocol;
  const sites = globalThis.termlightSites;

  const SCRIPT_ID = 'termlight-pages';

  /** The content scripts, in load order: the one list (the manifest has none). */
  const CONTENT_JS = Object.freeze([
    'shared/protocol.js',
    'content/visible.js',
    'content/blockreader.js',
    'content/store.js',
    'content/viewportwindow.js',
    'content/painter.js',
    'content/scan.js',
    'content/observe.js',
    'content/ui.js',
    'content/popover.js',
    'content/hover.js',
    'content/panel.js',
    'content/main.js',
  ]);
  const CONTENT_CSS = Object.freeze(['content/highlight.css']);

  const ONE_OFF_PREFIX = 'oneoff:';

  /** @param {{settings: any}} deps */
  function createSiteAccess({ settings }) {
    let queue = Promise.resolve();

    /** Register, update or remove the content scripts to match the settings. */
    async function syncNow() {
      const s = await settings.load();
      const matches = sites.contentMatches(s);
      const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
      if (!matches.length) {
        if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
        return [];
      }
      const script = {
        id: SCRIPT_ID,
        matches,
        js: [...CONTENT_JS],
        css: [...CONTENT_CSS],
        runAt: /** @type {chrome.extensionTypes.RunAt} */ ('document_idle'),
        allFrames: false,
        persistAcrossSessions: true,
      };
      if (existing.length) await chrome.scripting.updateContentScripts([script]);
      else await chrome.scripting.registerContentScripts([script]);
      return matches;
    }

    /** Calls are queued so two quick changes never race into a double registration. */
    function sync() {
      const next = queue.then(syncNow, syncNow);
      queue = next.catch(() => []);
      return next;
    }

    /** @param {number} tabId */
    async function oneOffSite(tabId) {
      const key = ONE_OFF_PREFIX + tabId;
      try {
        const stored = await chrome.storage.session.get(key);
        return typeof stored[key] === 'string' ? stored[key] : null;
      } catch {
        return null;
      }
    }

    /** @param {number} tabId */
    function forgetTab(tabId) {
      chrome.storage.session.remove(ONE_OFF_PREFIX + tabId).catch(() => {});
    }

    /**
     * Whether termlight may read the page a content script reports from.
     * @param {string} url
     * @param {number} tabId
     * @param {any} s - loaded settings
     */
    async function allowed(url, tabId, s) {
      return sites.siteAllowed(url, s, await oneOffSite(tabId));
    }

    /**
     * Start termlight in one tab now: through activeTab after a click on the toolbar button, or
     * right after the person chose the tab's site.
     * @param {number} tabId
     */
    async function highlightTab(tabId) {
      let tab;
      try {
        tab = await chrome.tabs.get(tabId);
      } catch {
        return failure(ErrorKind.BAD_REQUEST, 'no such tab');
      }
      const site = tab.url ? sites.siteOf(tab.url) : null;
      if (!site || !/^https?:/.test(tab.url || '')) return failure(ErrorKind.FORBIDDEN, 'termlight cannot read this page');
      await chrome.storage.session.set({ [ONE_OFF_PREFIX + tabId]: site });
      const present = await send({ type: ToContent.STATUS }, tabId);
      if (!present.error) {
        await send({ type: ToContent.SETTINGS_CHANGED, keys: ['sites'] }, tabId);
        return { ok: true };
      }
      try {
        await chrome.scripting.insertCSS({ target: { tabId }, files: [...CONTENT_CSS] });
        await chrome.scripting.executeScript({ target: { tabId }, files: [...CONTENT_JS] });
        return { ok: true };
      } catch (err) {
        return failure(ErrorKind.FORBIDDEN, `termlight may not read this page: ${String((err && err.message) || err)}`);
      }
    }

    const handlers = {
      /** @param {{tabId: number}} msg */
      async [ToWorker.HIGHLIGHT_ONCE](msg) {
        if (!Number.isInteger(msg.tabId)) return failure(ErrorKind.BAD_REQUEST, 'tabId must be a tab id');
        return highlightTab(msg.tabId);
      },
    };

    return { sync, allowed, forgetTab, highlightTab, handlers, SCRIPT_ID };
  }

  globalThis.termlightSiteAccess = Object.freeze({ createSiteAccess, CONTENT_JS, CONTENT_CSS });
})();
