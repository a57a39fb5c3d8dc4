// @ts-check
/*
 * The extension's messaging protocol: every message name, who may send it, what it carries
 * and what comes back, and every error kind. Content scripts, the background worker, the
 * options page and the popup all load this file; no other file spells a message name or an
 * error kind as a string.
 *
 * Who may send what is decided from `sender`, which the browser fills in (a page, or code
 * running in a content script, cannot forge it):
 *   - 'content': a content script of this extension in a web page (sender.tab, a web URL);
 *   - 'options': the options page; 'popup': the toolbar popup; 'suggest': the suggest window
 *     (extension pages, by their URL).
 * The worker refuses a message from any other kind of sender with an error of kind 'forbidden'.
 *
 * Replies are plain objects. A failure is always `{error: {kind, status, message}}`; callers
 * test `reply.error` and never need try/catch, because `send` turns a missing receiver (the
 * extension was reloaded, the page has no content script) into an error reply too.
 */
// The message shapes, as global JSDoc types for the files that `// @ts-check` (tools/tsconfig.json).
/**
 * @typedef {'content' | 'options' | 'popup' | 'suggest'} SenderKind
 *
 * @typedef {'unreachable' | 'auth' | 'http' | 'bad-response' | 'bad-request' | 'extension'
 *   | 'editable' | 'forbidden' | 'budget' | 'insecure'} ErrorKindName
 *
 * @typedef {{kind: ErrorKindName, status: number, message: string}} ProtocolError
 * @typedef {{error: ProtocolError}} ErrorReply
 *
 * @typedef {{start: number, end: number, term_id: string, text: string, why?: string,
 *   alternatives?: string[]}} Match
 * @typedef {{id?: string, term: string, aliases?: string[], definition?: string, url?: string,
 *   related?: string[], tags?: string[], glossary?: string}} Term
 *
 * Content script -> worker:
 * @typedef {{type: 'hello', url: string}} HelloRequest
 * @typedef {{active: boolean, enabled: boolean, siteDisabled: boolean, host: string,
 *   occurrences: 'every' | 'first', skipCode: boolean}} PageConfig
 * @typedef {{type: 'match', texts: string[], known?: [string, string][]}} MatchRequest
 *   known: [term id, glossary id] of terms the page already shows through unambiguous forms
 * @typedef {{results: Match[][], terms: Object<string, Term>, glossaries?: Object<string, string>}} MatchReply
 * @typedef {{type: 'term', id: string}} TermRequest
 * @typedef {{term: Term, glossaries?: Object<string, string>}} TermReply
 * @typedef {{type: 'stats', count: number, error?: ProtocolError | null, active?: boolean}} StatsRequest
 *
 * Options page -> worker:
 * @typedef {{type: 'test', serverUrl: string, token: string, insecureOk?: boolean}} TestRequest
 * @typedef {{id: string, name: string, terms: number | null}} GlossaryInfo
 * @typedef {{result: {status: string, version: string | null, glossaries: GlossaryInfo[]}}} TestReply
 *
 * Popup -> worker: start termlight in this tab now (activeTab, or a site just chosen).
 * @typedef {{type: 'highlight-once', tabId: number}} HighlightOnceRequest
 * Popup -> worker: search the glossary (GET /v1/terms?q=).
 * @typedef {{type: 'search', q: string}} SearchRequest
 * @typedef {{terms: {id: string, term: string, definition: string, glossary: string}[], count: number}} SearchReply
 *
 * Suggestions (the suggest page is the extension's own window, never a web page's DOM):
 * @typedef {{type: 'open-suggest', term?: string, termId?: string, kind?: string, url?: string}} OpenSuggestRequest
 * @typedef {{type: 'suggest', suggestion: {kind: string, term: string, definition: string,
 *   aliases: string[], source_url: string | null, term_id: string | null, comment: string}}} SuggestRequest
 * @typedef {{type: 'my-suggestions'}} MySuggestionsRequest
 *
 * Worker or popup -> content script:
 * @typedef {{type: 'settings-changed', keys: string[]}} SettingsChangedMessage
 * @typedef {{type: 'toggle-panel'}} TogglePanelMessage
 * @typedef {{type: 'status'}} StatusRequest
 * @typedef {{host: string, active: boolean, enabled: boolean, siteDisabled: boolean,
 *   count: number, error: ProtocolError | null}} PageStatus
 */
(() => {
  'use strict';

  /** Messages handled by the background worker, and the senders allowed to send each. */
  const ToWorker = Object.freeze({
    HELLO: 'hello',
    MATCH: 'match',
    TERM: 'term',
    STATS: 'stats',
    TEST: 'test',
    HIGHLIGHT_ONCE: 'highlight-once',
    SEARCH: 'search',
    OPEN_SUGGEST: 'open-suggest',
    SUGGEST: 'suggest',
    MY_SUGGESTIONS: 'my-suggestions',
  });

  /** @type {Readonly<Record<string, ReadonlyArray<SenderKind>>>} */
  const ALLOWED_SENDERS = Object.freeze({
    [ToWorker.HELLO]: ['content'],
    [ToWorker.MATCH]: ['content'],
    [ToWorker.TERM]: ['content'],
    [ToWorker.STATS]: ['content'],
    [ToWorker.TEST]: ['options'],
    [ToWorker.HIGHLIGHT_ONCE]: ['popup'],
    [ToWorker.SEARCH]: ['popup'],
    [ToWorker.OPEN_SUGGEST]: ['content', 'popup'],
    [ToWorker.SUGGEST]: ['suggest'],
    [ToWorker.MY_SUGGESTIONS]: ['suggest'],
  });

  /** Messages handled by a content script. */
  const ToContent = Object.freeze({
    SETTINGS_CHANGED: 'settings-changed',
    TOGGLE_PANEL: 'toggle-panel',
    STATUS: 'status',
  });

  /** Every error kind, with what the badge shows for it. */
  const ErrorKind = Object.freeze({
    UNREACHABLE: 'unreachable', // nothing answered
    AUTH: 'auth', // 401/403: token missing or wrong
    HTTP: 'http', // any other error status
    BAD_RESPONSE: 'bad-response', // an answer that is not the contract's
    BAD_REQUEST: 'bad-request', // a message with the wrong shape
    EXTENSION: 'extension', // no receiver: the extension was reloaded, or no content script
    EDITABLE: 'editable', // the page became an editor; nothing more is read
    FORBIDDEN: 'forbidden', // a sender or a term id this message is not allowed for
    BUDGET: 'budget', // the tab used up its upload budget for now
    INSECURE: 'insecure', // an http:// server off this machine, not confirmed
  });

  /** @type {Readonly<Record<string, string>>} */
  const BADGE_TEXT = Object.freeze({
    [ErrorKind.UNREACHABLE]: '!',
    [ErrorKind.AUTH]: 'KEY',
    [ErrorKind.INSECURE]: 'HTTP',
    [ErrorKind.BUDGET]: '…',
  });

  /**
   * An error reply.
   * @param {ErrorKindName} kind
   * @param {string} message
   * @param {number} [status]
   * @returns {ErrorReply}
   */
  function failure(kind, message, status = 0) {
    return { error: { kind, status, message } };
  }

  /**
   * What kind of sender a message came from, or null for one this extension does not talk to.
   * @param {chrome.runtime.MessageSender} sender
   * @returns {SenderKind | null}
   */
  function senderKind(sender) {
    if (!sender || sender.id !== chrome.runtime.id || typeof sender.url !== 'string') return null;
    const base = chrome.runtime.getURL('');
    if (sender.url.startsWith(base)) {
      const path = sender.url.slice(base.length).split(/[?#]/)[0];
      if (path === 'options/options.html') return 'options';
      if (path === 'popup/popup.html') return 'popup';
      if (path === 'suggest/suggest.html') return 'suggest';
      return null;
    }
    if (sender.tab && /^https?:/.test(sender.url)) return 'content';
    return null;
  }

  /**
   * Whether `sender` may send a message of type `type`.
   * @param {string} type
   * @param {chrome.runtime.MessageSender} sender
   */
  function allowed(type, sender) {
    const kinds = Object.prototype.hasOwnProperty.call(ALLOWED_SENDERS, type) ? ALLOWED_SENDERS[type] : null;
    const kind = senderKind(sender);
    return !!kinds && !!kind && kinds.includes(kind);
  }

  /**
   * Send a message to the worker (or, with `tabId`, to that tab's content script). Never throws.
   * @param {{type: string} & Object<string, unknown>} msg
   * @param {number} [tabId]
   * @returns {Promise<any>}
   */
  async function send(msg, tabId) {
    try {
      const reply = typeof tabId === 'number' ? await chrome.tabs.sendMessage(tabId, msg) : await chrome.runtime.sendMessage(msg);
      return reply || failure(ErrorKind.EXTENSION, 'no answer from the extension');
    } catch {
      return failure(ErrorKind.EXTENSION, 'termlight was updated or switched off; reload the page');
    }
  }

  globalThis.termlightProtocol = Object.freeze({
    ToWorker,
    ToContent,
    ErrorKind,
    ALLOWED_SENDERS,
    BADGE_TEXT,
    failure,
    senderKind,
    allowed,
    send,
  });
})();
