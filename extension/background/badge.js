/*
 * The toolbar badge: the only place where termlight reports trouble, because nothing may be
 * written to the page's console. Per tab it shows either the number of distinct terms found
 * or a short error code, with the full explanation in the button's tooltip.
 */
(() => {
  'use strict';

  const COLORS = { count: '#2f5d8a', error: '#b3261e', off: '#6b6b6b' };
  const { BADGE_TEXT, ErrorKind } = globalThis.termlightProtocol;

  /** Badge calls fail when the tab has just closed; that is not worth reporting anywhere. */
  const quiet = (promise) => Promise.resolve(promise).catch(() => {});

  function show(tabId, text, color, title) {
    if (typeof tabId !== 'number' || tabId < 0) return;
    quiet(chrome.action.setBadgeText({ tabId, text }));
    quiet(chrome.action.setBadgeBackgroundColor({ tabId, color }));
    quiet(chrome.action.setTitle({ tabId, title }));
  }

  function showCount(tabId, count) {
    const text = count > 999 ? '999+' : count > 0 ? String(count) : '';
    const title = count === 1 ? 'termlight: 1 term on this page' : `termlight: ${count} terms on this page`;
    show(tabId, text, COLORS.count, title);
  }

  function showError(tabId, error) {
    const kind = (error && error.kind) || ErrorKind.HTTP;
    const text = BADGE_TEXT[kind] || 'ERR';
    show(tabId, text, COLORS.error, `termlight: ${(error && error.message) || 'the server answered with an error'}`);
  }

  function showOff(tabId) {
    show(tabId, '', COLORS.off, 'termlight: off for this site');
  }

  globalThis.termlightBadge = Object.freeze({ showCount, showError, showOff });
})();
