/*
 * The toolbar popup: switch termlight off or on for the current site and see how many terms
 * the page has. It learns the site from the page's content script, so the extension needs no
 * "tabs" permission to read tab URLs.
 *
 * popup.html?tab=ID targets a given tab instead of the active one, which lets the page be
 * opened in a normal tab (browser tests, or a person debugging).
 */
(() => {
  'use strict';

  const settings = globalThis.termlightSettings;
  const { ToContent, send } = globalThis.termlightProtocol;
  const $ = (id) => document.getElementById(id);

  async function targetTab() {
    const param = new URLSearchParams(location.search).get('tab');
    if (param && /^\d+$/.test(param)) return Number(param);
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    return tab ? tab.id : null;
  }

  async function pageStatus(tabId) {
    if (tabId === null) return null;
    const reply = await send({ type: ToContent.STATUS }, tabId);
    return reply.error ? null : reply;
  }

  function render(status) {
    const toggle = $('site-toggle');
    if (!status) {
      $('host').textContent = 'termlight does not run on this page.';
      toggle.disabled = true;
      $('count').textContent = '';
      return;
    }
    $('host').textContent = status.host;
    toggle.disabled = false;
    toggle.checked = !status.siteDisabled;
    if (!status.enabled) {
      $('count').textContent = 'termlight is switched off in the options.';
    } else if (status.siteDisabled) {
      $('count').textContent = 'Off for this site.';
    } else {
      $('count').textContent = status.count === 1 ? '1 term found on this page' : `${status.count} terms found on this page`;
    }
    $('status').textContent = status.error ? status.error.message : '';
  }

  async function main() {
    const tabId = await targetTab();
    let status = await pageStatus(tabId);
    render(status);
    $('site-toggle').addEventListener('change', async (e) => {
      if (!status) return;
      await settings.setSiteEnabled(status.host, e.target.checked);
      // The page restarts on the settings change; give it a moment before asking again.
      setTimeout(async () => {
        status = (await pageStatus(tabId)) || status;
        render(status);
      }, 600);
    });
    $('open-options').addEventListener('click', (e) => {
      e.preventDefault();
      chrome.runtime.openOptionsPage();
    });
  }

  main();
})();
