// @ts-check
/*
 * Suggestions for the team glossary. The form is the extension's own page (suggest/suggest.html),
 * opened in a small window from the context menu ("Suggest for the glossary…" on a selection),
 * the toolbar popup, or a popover's "Suggest a better definition"; never anything in the web
 * page's DOM. The form talks to the worker, and only the worker talks to the server (with the
 * token, which the form never needs).
 */
(() => {
  'use strict';

  const { ToWorker, ErrorKind, failure } = globalThis.termlightProtocol;
  const { errorOf } = globalThis.termlightRouter;
  const { request } = globalThis.termlightClient;

  const MENU_ID = 'termlight-suggest';
  const KINDS = ['new', 'better-definition', 'wrong-meaning'];

  /** @param {unknown} v @param {number} max */
  const text = (v, max) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

  /** Open the suggest window with these fields prefilled (all optional). */
  async function openSuggest({ term = '', termId = '', kind = 'new', url = '' }) {
    const params = new URLSearchParams();
    if (text(term, 200)) params.set('term', text(term, 200));
    if (text(termId, 200)) params.set('term_id', text(termId, 200));
    if (KINDS.includes(kind)) params.set('kind', kind);
    if (/^https?:\/\//.test(url)) params.set('url', url.slice(0, 2000));
    const page = chrome.runtime.getURL(`suggest/suggest.html?${params}`);
    if (chrome.windows && typeof chrome.windows.create === 'function') {
      await chrome.windows.create({ url: page, type: 'popup', width: 480, height: 640 });
    } else {
      await chrome.tabs.create({ url: page }); // Firefox for Android has no windows
    }
    return { ok: true };
  }

  /** The suggestion as the server's POST /v1/suggestions takes it, from what the form sent. */
  function clean(raw) {
    const s = raw && typeof raw === 'object' ? raw : {};
    const kind = KINDS.includes(s.kind) ? s.kind : 'new';
    const aliases = Array.isArray(s.aliases) ? s.aliases.map((a) => text(a, 200)).filter(Boolean).slice(0, 50) : [];
    const source = text(s.source_url, 2000);
    return {
      kind,
      term: text(s.term, 200),
      definition: text(s.definition, 5000),
      aliases,
      source_url: /^https?:\/\/\S+$/.test(source) ? source : null,
      term_id: text(s.term_id, 200) || null,
      comment: text(s.comment, 2000),
    };
  }

  /** @param {{settings: any}} deps */
  function suggestHandlers({ settings }) {
    return {
      /** @param {any} msg @param {chrome.runtime.MessageSender} sender */
      async [ToWorker.OPEN_SUGGEST](msg, sender) {
        // From a page's popover, the source is that tab's address; from the popup, what it says.
        const url = sender.tab && typeof sender.tab.url === 'string' ? sender.tab.url : text(msg.url, 2000);
        return openSuggest({ term: msg.term, termId: msg.termId, kind: msg.kind, url });
      },

      /** @param {any} msg */
      async [ToWorker.SUGGEST](msg) {
        const body = clean(msg.suggestion);
        if (!body.term) return failure(ErrorKind.BAD_REQUEST, 'Say which term');
        if (body.kind === 'new' && !body.definition) return failure(ErrorKind.BAD_REQUEST, 'Give a definition');
        try {
          return { suggestion: await request(await settings.load(), '/v1/suggestions', { method: 'POST', body }) };
        } catch (err) {
          return errorOf(err);
        }
      },

      async [ToWorker.MY_SUGGESTIONS]() {
        try {
          const answer = await request(await settings.load(), '/v1/suggestions');
          const list = answer && Array.isArray(answer.suggestions) ? answer.suggestions : [];
          return { suggestions: list.filter((s) => s && typeof s === 'object').slice(-50) };
        } catch (err) {
          return errorOf(err);
        }
      },
    };
  }

  /** The context menu entry, on a selection. Called at install and start-up. */
  function createMenu() {
    if (!chrome.contextMenus) return;
    chrome.contextMenus.remove(MENU_ID, () => {
      void chrome.runtime.lastError; // not there yet: fine
      chrome.contextMenus.create({ id: MENU_ID, title: 'Suggest for the glossary…', contexts: ['selection'] },
        () => void chrome.runtime.lastError);
    });
  }

  if (chrome.contextMenus) {
    chrome.contextMenus.onClicked.addListener((info, tab) => {
      if (info.menuItemId !== MENU_ID) return;
      openSuggest({ term: info.selectionText || '', url: (tab && tab.url) || info.pageUrl || '' });
    });
  }

  globalThis.termlightSuggest = Object.freeze({ suggestHandlers, openSuggest, createMenu, MENU_ID });
})();
