/*
 * Wiring: asks the background worker whether termlight should run on this page, builds the
 * pieces (reader, store, painter, observer, hover, popover, panel) and answers the popup and
 * the keyboard command. It reads no storage itself: the worker decides and tells it when the
 * settings change.
 *
 * Nothing here writes to the console. Failures show on the toolbar badge instead, so a page's
 * own console stays the page's.
 */
(() => {
  'use strict';

  const ns = globalThis.termlight;
  if (!ns || ns.started) return;
  ns.started = true;

  const { Store } = ns.store;
  const { Painter } = ns.painter;
  const { Scanner } = ns.scan;
  const { PageObserver } = ns.observe;
  const { Popover } = ns.popover;
  const { HoverWatcher } = ns.hover;
  const { Panel } = ns.panel;
  const ui = ns.ui;
  // Messages to the worker never throw: an extension that was reloaded under us just goes quiet.
  const { ToWorker, ToContent, ErrorKind, failure, send } = globalThis.termlightProtocol;

  let config = null;
  let running = false;
  let lastError = null;
  let lastStats = '';

  const store = new Store();
  const painter = new Painter();
  /** What reading needs (editorRoots looks at every textarea's box, so only when reading). */
  const options = () => ({
    host: ui.hostElement(),
    skipCode: config ? config.skipCode : true,
    editors: ns.visible.editorRoots(document),
  });
  /** Which occurrences are underlined: 'first' or 'every' (each redraw asks). */
  const occurrences = () => (config ? config.occurrences : 'first');

  function onUpdate({ count, error }) {
    lastError = error || null;
    if (panel.isOpen) panel.refresh();
    const key = `${count}|${error ? error.kind : ''}`;
    if (key === lastStats) return;
    lastStats = key;
    send({ type: ToWorker.STATS, count, error: error || null });
  }

  async function fetchTerm(id) {
    const reply = await send({ type: ToWorker.TERM, id });
    if (!reply || reply.error || !reply.term) return null;
    store.addGlossaries(reply.glossaries);
    store.addTerms({ [id]: reply.term });
    return store.terms.get(id) || null;
  }

  /**
   * Page text goes out only while the page is not an editor: a script can switch the whole
   * document to designMode at any time, and from then on what it shows is someone's draft.
   */
  function sendPageText(msg) {
    if (ns.blockReader.documentEditable(document)) {
      queueMicrotask(() => {
        if (!running) return;
        stopRunning();
        send({ type: ToWorker.STATS, active: false, count: 0 });
      });
      return Promise.resolve(failure(ErrorKind.EDITABLE, 'the page became editable'));
    }
    return send(msg);
  }

  const scanner = new Scanner({ store, painter, send: sendPageText, options, occurrences, onUpdate });
  /** "Suggest a better definition…": the worker opens the extension's own suggest window. */
  const suggest = (termId, term) => send({ type: ToWorker.OPEN_SUGGEST, termId, term, kind: 'better-definition' });
  const popover = new Popover({ store, painter, fetchTerm, shadowRoot: ui.shadowRoot, suggest });
  const hover = new HoverWatcher({ painter, popover, host: ui.hostElement });
  const panel = new Panel({ store, painter, shadowRoot: ui.shadowRoot, lastError: () => lastError });
  const observer = new PageObserver({
    scanner,
    store,
    options,
    host: ui.hostElement,
    onNavigate(bodyChanged) {
      popover.hide();
      if (bodyChanged) {
        store.clear();
        scanner.redraw();
        scanner.full();
      }
    },
  });

  /**
   * One run on this page: everything it sets up (observer, hover listeners, the scan and what
   * it drew) lives until `signal` aborts, and goes then.
   */
  function start(signal) {
    lastStats = '';
    observer.start(signal);
    hover.start(signal);
    signal.addEventListener('abort', () => {
      scanner.stop();
      panel.close();
      store.clear();
      painter.clear();
      ui.remove();
      lastError = null;
    }, { once: true });
    scanner.full();
  }

  /** The current run's controller, or null while termlight is off on this page. */
  let run = null;

  function startRunning() {
    run = new AbortController();
    running = true;
    start(run.signal);
  }

  function stopRunning() {
    running = false;
    const current = run;
    run = null;
    if (current) current.abort();
  }

  /** Ask whether to run here (on start and whenever settings change) and start or stop to match. */
  /** Settings that change what the server answers: the page is read again from scratch. */
  const SERVER_KEYS = ['serverUrl', 'token', 'glossaries'];

  let helloDelay = 500;
  async function configure(restart = false) {
    const next = await send({ type: ToWorker.HELLO, url: location.href });
    if (!next || next.error) {
      // The worker may still be starting (first install, browser start-up): ask again later.
      if (helloDelay <= 16000) setTimeout(configure, helloDelay);
      helloDelay *= 2;
      return;
    }
    helloDelay = 500;
    const same = config && next.active === config.active && next.skipCode === config.skipCode && next.occurrences === config.occurrences;
    config = next;
    if (same && !(restart && running)) return;
    if (running) stopRunning();
    if (config.active && !ns.blockReader.documentEditable(document)) startRunning();
    else send({ type: ToWorker.STATS, active: false, count: 0 });
  }

  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || !msg) return false;
    if (msg.type === ToContent.SETTINGS_CHANGED) {
      configure(Array.isArray(msg.keys) && msg.keys.some((k) => SERVER_KEYS.includes(k)));
    } else if (msg.type === ToContent.TOGGLE_PANEL) {
      if (running) panel.toggle();
      sendResponse({ ok: running });
    } else if (msg.type === ToContent.STATUS) {
      sendResponse({
        host: location.hostname,
        active: !!(config && config.active),
        enabled: !!(config && config.enabled),
        siteDisabled: !!(config && config.siteDisabled),
        count: store.termCount(),
        error: lastError,
      });
    }
    return false;
  });

  configure();
})();
