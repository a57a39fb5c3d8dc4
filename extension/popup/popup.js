// @ts-check
/*
 * The toolbar popup: site access for the current tab, and how many terms the page has.
 *
 * "Highlight terms on this site" is one switch for both modes. Ticked on a site termlight may
 * not read yet, it asks the browser for that one origin (the click is the user gesture the
 * permission prompt needs), adds the site to the chosen sites and starts termlight in the tab.
 * Unticked, it removes a chosen site (and gives its permission back), or puts the site on the
 * disable list when it is readable anyway (every-site mode, or this machine's pages while the
 * server is local). "Highlight this page once" uses activeTab: nothing is granted beyond this
 * tab, until it navigates away.
 *
 * The search box asks the worker to search the glossary (GET /v1/terms?q=; the token stays in
 * the worker) and the last link opens the server's home page. When the page or the server
 * reports an error, the popup shows that error alone, not a term count next to it.
 *
 * popup.html?tab=ID targets a given tab instead of the active one, which lets the page be
 * opened in a normal tab (browser tests, or a person debugging).
 */
(() => {
  'use strict';

  const settings = globalThis.termlightSettings;
  const sites = globalThis.termlightSites;
  const { ToWorker, ToContent, send } = globalThis.termlightProtocol;
  /** @param {string} id */
  const $ = (id) => /** @type {any} */ (document.getElementById(id));

  /** Everything the switch needs, computed before any click so the click can ask at once. */
  let state = null;

  async function targetTab() {
    const param = new URLSearchParams(location.search).get('tab');
    if (param && /^\d+$/.test(param)) return Number(param);
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    return tab && typeof tab.id === 'number' ? tab.id : null;
  }

  /** @param {number | null} tabId */
  async function load(tabId) {
    if (tabId === null) return null;
    let url = '';
    try {
      url = (await chrome.tabs.get(tabId)).url || ''; // readable through activeTab or host access
    } catch {
      // the tab closed
    }
    const site = url ? sites.siteOf(url) : null;
    if (!site || !/^https?:/.test(url)) return { tabId, site: null, url: '' };
    const { settings: s, locked } = await settings.loadWithPolicy();
    const host = sites.stripDot(new URL(url).hostname);
    const page = await send({ type: ToContent.STATUS }, tabId);
    return {
      tabId,
      url,
      site,
      host,
      s,
      managed: ['mode', 'sites', 'disabledSites'].some((k) => locked.includes(k)),
      chosen: s.sites.includes(site),
      readable: sites.siteAllowed(url, s, null),
      disabled: settings.isSiteDisabled(host, s.disabledSites),
      page: page.error ? null : page,
    };
  }

  function render() {
    const toggle = $('site-toggle');
    if (!state || !state.site) {
      $('host').textContent = 'termlight does not run on this page.';
      toggle.disabled = true;
      $('highlight-once').hidden = true;
      $('count').textContent = '';
      $('site-help').textContent = '';
      return;
    }
    const { s, page } = state;
    $('host').textContent = state.host;
    toggle.disabled = !s.enabled || state.managed;
    toggle.checked = state.readable && !state.disabled;
    $('highlight-once').hidden = !s.enabled || toggle.checked || !!(page && page.active);
    $('site-help').textContent = state.managed
      ? 'Site access is set by your organization.'
      : toggle.checked
      ? ''
      : `Ticking asks your browser to let termlight read ${state.site}; its visible text then goes to ${s.serverUrl}.`;
    $('mode').textContent =
      s.mode === sites.Mode.EVERYWHERE
        ? `Reading every site: the visible text of every page you open goes to ${s.serverUrl}.`
        : 'Reading only the sites you choose.';
    if (!s.enabled) $('count').textContent = 'termlight is switched off in the options.';
    else if (page && page.error) $('count').textContent = '';
    else if (page && page.active) $('count').textContent = page.count === 1 ? '1 term found on this page' : `${page.count} terms found on this page`;
    else $('count').textContent = 'Off for this site.';
    $('status').textContent = page && page.error ? page.error.message : '';
  }

  async function refreshSoon() {
    // The page restarts on the settings change; ask again until it has answered.
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 150));
      state = (await load(state.tabId)) || state;
      render();
      if (state.page && (state.page.active || !$('site-toggle').checked)) return;
    }
  }

  /** @param {Event} e */
  async function onToggle(e) {
    if (!state || !state.site) return;
    const on = /** @type {HTMLInputElement} */ (e.target).checked;
    const { site, host, s } = state;
    if (on) {
      if (!state.readable) {
        // First call in the handler: the permission prompt needs the click's user gesture.
        const granted = await chrome.permissions.request({ origins: [sites.patternOf(site)] }).catch(() => false);
        if (!granted) {
          $('status').textContent = `termlight was not allowed to read ${site}.`;
          render();
          return;
        }
        await settings.save({ sites: [...s.sites, site] });
      }
      if (state.disabled) await settings.setSiteEnabled(host, true);
      await send({ type: ToWorker.HIGHLIGHT_ONCE, tabId: state.tabId });
    } else if (state.chosen) {
      await settings.save({ sites: s.sites.filter((x) => x !== site) });
      const keep = settings.permissionPattern(s.serverUrl);
      if (keep !== sites.patternOf(site)) chrome.permissions.remove({ origins: [sites.patternOf(site)] }).catch(() => {});
    } else {
      await settings.setSiteEnabled(host, false);
    }
    refreshSoon();
  }

  async function onOnce() {
    if (!state) return;
    const reply = await send({ type: ToWorker.HIGHLIGHT_ONCE, tabId: state.tabId });
    $('status').textContent = reply.error ? reply.error.message : '';
    refreshSoon();
  }

  /** Show the server's answer to the search box, every string as text. */
  let searchSeq = 0;
  async function onSearch(/** @type {Event} */ e) {
    if (e) e.preventDefault();
    const q = $('search').value.trim();
    const seq = ++searchSeq;
    if (!q) {
      $('results').replaceChildren();
      $('search-status').textContent = '';
      return;
    }
    const reply = await send({ type: ToWorker.SEARCH, q });
    if (seq !== searchSeq) return;
    if (reply.error) {
      $('results').replaceChildren();
      $('search-status').textContent = reply.error.message;
      return;
    }
    const items = reply.terms.map((/** @type {any} */ t) => {
      const li = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = t.term;
      const glossary = document.createElement('span');
      glossary.className = 'glossary';
      glossary.textContent = t.glossary;
      const def = document.createElement('p');
      def.className = 'def';
      def.textContent = t.definition;
      li.append(name, glossary, def);
      return li;
    });
    $('results').replaceChildren(...items);
    $('search-status').textContent = reply.count ? (reply.count > items.length ? `${items.length} of ${reply.count} terms` : '') : `No term starts with “${q}”.`;
  }

  async function main() {
    state = await load(await targetTab());
    render();
    const s = await settings.load();
    $('open-home').href = s.serverUrl + '/';
    $('search').addEventListener('input', onSearch);
    $('search-form').addEventListener('submit', onSearch);
    $('site-toggle').addEventListener('change', onToggle);
    $('highlight-once').addEventListener('click', onOnce);
    $('suggest').addEventListener('click', async () => {
      // The form opens in its own window; the page's address is prefilled (the reader may untick it).
      await send({ type: ToWorker.OPEN_SUGGEST, url: (state && state.url) || '' });
      if (!new URLSearchParams(location.search).get('tab')) window.close();
    });
    $('open-options').addEventListener('click', (/** @type {Event} */ e) => {
      e.preventDefault();
      chrome.runtime.openOptionsPage();
    });
    document.body.dataset.ready = 'true';
  }

  main();
})();
