/*
 * The extension's one element on the page: a host with a *closed* shadow root that holds the
 * popover and the panel. The shadow root keeps the page's CSS out and ours in, and because it
 * is closed, page scripts get null from host.shadowRoot and cannot read what a card shows
 * (a definition from a confidential glossary) or reach its buttons. Only this content
 * script's world holds a reference to the root.
 *
 * The host is appended to <html>, not <body>, so the body's content stays exactly as the page
 * made it, and it is created only when something is first shown. Styles are set through the
 * CSSOM and a constructed stylesheet, which a page's Content-Security-Policy does not block.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});

  const CSS_TEXT = `
:host { all: initial; }
.card, .panel {
  position: fixed;
  box-sizing: border-box;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1d2330;
  background: #ffffff;
  border: 1px solid rgba(20, 30, 50, 0.16);
  border-radius: 10px;
  box-shadow: 0 8px 28px rgba(15, 25, 45, 0.22);
  text-align: left;
  direction: ltr;
}
.card { width: max-content; max-width: min(380px, calc(100vw - 16px)); padding: 12px 14px; }
.card[hidden], .panel[hidden] { display: none; }
.term { font-weight: 650; font-size: 15px; margin: 0 0 2px; }
.glossary { margin: 0 0 2px; font-size: 11px; text-transform: uppercase; letter-spacing: 0.04em; color: #5f6b7f; }
.aliases { font-size: 12.5px; color: #4a5568; margin: 2px 0 0; }
.definition { margin: 8px 0 0; white-space: pre-line; overflow-wrap: anywhere; }
.related { margin: 10px 0 0; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.related-label { font-size: 12px; color: #5f6b7f; }
button.chip {
  font: inherit; font-size: 12.5px; cursor: pointer; color: #1f5fa8;
  background: rgba(64, 132, 214, 0.10); border: 1px solid rgba(64, 132, 214, 0.35);
  border-radius: 999px; padding: 1px 9px;
}
button.chip:hover, button.chip:focus-visible { background: rgba(64, 132, 214, 0.22); outline: none; }
button.back { margin: 0 0 6px; }
.others { margin: 10px 0 0; padding: 8px 0 0; border-top: 1px solid rgba(20, 30, 50, 0.12); }
.others-label { font-size: 12px; color: #5f6b7f; margin: 0; }
.other { margin: 6px 0 0; }
.other-term { font-weight: 600; margin: 0; }
.other .definition { margin: 2px 0 0; font-size: 13px; }
a.more { display: inline-block; margin: 10px 0 0; color: #1f5fa8; font-size: 13px; text-decoration: underline; }
button.suggest-better { display: block; margin: 8px 0 0; padding: 0; font: inherit; font-size: 12px;
  color: #5f6b7f; background: none; border: none; text-decoration: underline; cursor: pointer; }
.panel { top: 12px; right: 12px; width: min(360px, calc(100vw - 24px)); max-height: min(70vh, 560px); display: flex; flex-direction: column; }
.panel header { padding: 10px 14px 8px; border-bottom: 1px solid rgba(20, 30, 50, 0.12); }
.panel h2 { font-size: 14px; margin: 0; font-weight: 650; }
.panel .hint { font-size: 12px; color: #5f6b7f; margin: 2px 0 0; }
.panel input.filter { box-sizing: border-box; width: 100%; margin: 8px 0 0; padding: 5px 8px; font: inherit; font-size: 13px; border: 1px solid rgba(20, 30, 50, 0.25); border-radius: 6px; }
.panel ul { list-style: none; margin: 0; padding: 4px 0; overflow-y: auto; outline: none; }
.panel li { padding: 6px 14px; cursor: pointer; }
.panel li[aria-selected="true"] { background: rgba(64, 132, 214, 0.16); }
.panel .name { font-weight: 600; }
.panel .count { color: #5f6b7f; font-size: 12px; margin-left: 6px; }
.panel .def { font-size: 12.5px; color: #4a5568; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.panel .empty { padding: 12px 14px; color: #4a5568; }
.panel .status { padding: 6px 14px 10px; font-size: 12px; color: #5f6b7f; min-height: 1em; }
@media (prefers-color-scheme: dark) {
  .card, .panel { color: #e7ebf2; background: #1f2430; border-color: rgba(255, 255, 255, 0.14); box-shadow: 0 8px 28px rgba(0, 0, 0, 0.5); }
  .glossary, .related-label, .others-label, .panel .hint, .panel .count, .panel .status { color: #a3adbf; }
  .aliases, .panel .def, .panel .empty { color: #c3cad6; }
  button.chip { color: #9cc4f2; border-color: rgba(120, 170, 230, 0.45); background: rgba(120, 170, 230, 0.12); }
  a.more { color: #9cc4f2; }
}
`;

  let host = null;
  let root = null;

  function applyStyles(shadow) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS_TEXT);
      shadow.adoptedStyleSheets = [sheet];
      if (shadow.adoptedStyleSheets.length === 1) return;
    } catch {
      // fall through
    }
    // An engine that refuses a content script's constructed sheet (Firefox's content-script
    // sandbox has done so) still takes a <style> inside the shadow root.
    const style = document.createElement('style');
    style.textContent = CSS_TEXT;
    shadow.appendChild(style);
  }

  /** The shadow root, creating the host on first use and re-attaching it if the page removed it. */
  function shadowRoot() {
    if (host && host.isConnected) return root;
    if (!host) {
      host = document.createElement('termlight-ui');
      const s = host.style;
      for (const [prop, value] of [
        ['all', 'initial'], ['position', 'fixed'], ['top', '0'], ['left', '0'], ['width', '0'],
        ['height', '0'], ['overflow', 'visible'], ['z-index', '2147483647'], ['display', 'block'],
      ]) s.setProperty(prop, value, 'important');
      root = host.attachShadow({ mode: 'closed' });
      applyStyles(root);
    }
    document.documentElement.appendChild(host);
    return root;
  }

  /** The shadow root if it exists; never creates it (for this world's own checks and the tests). */
  function existingRoot() {
    return root;
  }

  /** The host element if it exists (so readers and observers can skip it); never creates it. */
  function hostElement() {
    return host;
  }

  /** A new element with text content only: the one way server strings reach the screen. */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** Only http(s) links: a glossary URL like javascript:... must never become clickable. */
  function safeUrl(value) {
    if (typeof value !== 'string') return null;
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  function remove() {
    if (host && host.isConnected) host.remove();
  }

    /**
   * Whether an event was made by the person using the browser. Events a page script creates
   * (el.click(), dispatchEvent(new PointerEvent(...))) have isTrusted === false and are ignored
   * by every handler of termlight, so a page cannot open a card, click a related term or drive
   * the panel.
   */
  function trusted(e) {
    return !!e && e.isTrusted === true;
  }

  ns.ui = Object.freeze({ shadowRoot, existingRoot, hostElement, el, safeUrl, remove, trusted });
})();
