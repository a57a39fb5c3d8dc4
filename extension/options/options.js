/*
 * The options page: server URL and token, on/off, the per-site disable list, every versus
 * first occurrence, code skipping, which glossaries to use, and a connection test.
 *
 * A server outside localhost needs a host permission that the manifest only lists as
 * optional; it is requested from the click itself (browsers only grant permissions from a user
 * gesture) before the URL is used or saved. Glossary choice is stored as "all" (an empty
 * list) while every box is ticked, so glossaries added to the server later are used too.
 */
(() => {
  'use strict';

  const settings = globalThis.termlightSettings;
  const sites = globalThis.termlightSites;
  const { ToWorker, send } = globalThis.termlightProtocol;
  const $ = (id) => document.getElementById(id);

  let saved = settings.DEFAULTS;
  let knownGlossaries = null;
  /** Keys the organization's policy locks (shared/policy.js). */
  let locked = [];

  /** The form controls of each setting a policy can lock. */
  const CONTROLS = {
    serverUrl: ['serverUrl'],
    token: ['token'],
    mode: ['mode-sites', 'mode-everywhere'],
    sites: ['sites'],
    disabledSites: ['disabledSites'],
    insecureOk: ['insecureOk'],
    matchMode: ['matchMode'],
  };
  const LABELS = {
    serverUrl: 'server URL',
    token: 'API token',
    mode: 'site access',
    sites: 'sites',
    disabledSites: 'sites where termlight stays off',
    insecureOk: 'unencrypted http',
    matchMode: 'where terms are found',
  };

  /** Show locked values read-only; a locked token is never shown, only said to be set. */
  function showLocked() {
    for (const key of locked) {
      for (const id of CONTROLS[key] || []) {
        const control = $(id);
        control.disabled = true;
        control.title = 'Set by your organization';
        control.closest('label')?.classList.add('locked');
      }
    }
    if (locked.includes('token')) {
      $('token').value = '';
      $('token').placeholder = saved.token ? 'set by your organization' : 'none (set by your organization)';
    }
    $('managed').hidden = !locked.length;
    $('managed-keys').textContent = locked.map((k) => LABELS[k] || k).join(', ');
  }

  function show(id, text, ok) {
    const node = $(id);
    node.textContent = text;
    node.className = `result ${ok ? 'ok' : 'bad'}`;
  }

  function fill(s) {
    $('serverUrl').value = s.serverUrl;
    $('token').value = s.token;
    $('enabled').checked = s.enabled;
    $(s.occurrences === 'first' ? 'occ-first' : 'occ-every').checked = true;
    $('skipCode').checked = s.skipCode;
    $('matchMode').value = s.matchMode;
    $('disabledSites').value = s.disabledSites.join('\n');
    $(s.mode === sites.Mode.EVERYWHERE ? 'mode-everywhere' : 'mode-sites').checked = true;
    $('sites').value = s.sites.join('\n');
    $('insecureOk').checked = s.insecureOk;
    showInsecure();
  }

  /** The "unencrypted" confirmation only shows for plain http to another machine. */
  function showInsecure() {
    $('insecure-row').hidden = !settings.isInsecureServer($('serverUrl').value.trim());
  }

  function renderGlossaries(list, selected) {
    knownGlossaries = list;
    const rows = list.map((g) => {
      const label = document.createElement('label');
      label.className = 'check';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = 'glossary';
      box.value = g.id;
      box.checked = !selected.length || selected.includes(g.id);
      const count = g.terms === null ? '' : ` (${g.terms} terms)`;
      label.append(box, document.createTextNode(`${g.name}${count}`));
      return label;
    });
    if (!rows.length) {
      const p = document.createElement('p');
      p.className = 'help';
      p.textContent = 'The server has no glossaries.';
      rows.push(p);
    }
    $('glossaries').replaceChildren(...rows);
  }

  function readForm() {
    const values = {
      serverUrl: $('serverUrl').value.trim() || settings.DEFAULTS.serverUrl,
      token: $('token').value.trim(),
      enabled: $('enabled').checked,
      occurrences: $('occ-first').checked ? 'first' : 'every',
      skipCode: $('skipCode').checked,
      matchMode: $('matchMode').value,
      disabledSites: $('disabledSites').value.split(/\r?\n/).map(settings.normalizeHost).filter(Boolean),
      glossaries: saved.glossaries,
      mode: $('mode-everywhere').checked ? sites.Mode.EVERYWHERE : sites.Mode.SITES,
      sites: $('sites').value.split(/\r?\n/).map(sites.siteOf).filter(Boolean),
      insecureOk: $('insecureOk').checked,
    };
    if (knownGlossaries) {
      const boxes = [...document.querySelectorAll('input[name="glossary"]')];
      const ticked = boxes.filter((b) => b.checked).map((b) => b.value);
      values.glossaries = ticked.length === boxes.length ? [] : ticked;
    }
    return values;
  }

  /**
   * Ask, in one prompt, for the host permissions these values need: a server off localhost, the
   * newly listed sites, and every site for "Every site". True when all are (already) granted.
   * It must be the first thing a click handler awaits: browsers ask only during a user gesture.
   */
  async function permit(serverUrl, values) {
    const origins = [];
    const pattern = settings.permissionPattern(serverUrl);
    if (pattern) origins.push(pattern);
    if (values && values.mode === sites.Mode.EVERYWHERE) origins.push(...sites.ALL_SITES);
    if (values) for (const site of values.sites) if (!saved.sites.includes(site)) origins.push(sites.patternOf(site));
    if (!origins.length) return true;
    try {
      return await chrome.permissions.request({ origins });
    } catch {
      return false;
    }
  }

  async function testWith(serverUrl, token, quiet) {
    const reply = await send({
      type: ToWorker.TEST,
      serverUrl,
      token: locked.includes('token') ? undefined : token,
      insecureOk: $('insecureOk').checked,
    });
    if (reply.error) {
      if (!quiet) show('test-result', reply.error.message, false);
      return false;
    }
    const { result } = reply;
    const terms = result.glossaries.reduce((n, g) => n + (g.terms || 0), 0);
    const glossaryWord = result.glossaries.length === 1 ? 'glossary' : 'glossaries';
    show('test-result', `Connected (${result.status}): ${result.glossaries.length} ${glossaryWord}, ${terms} terms.`, true);
    renderGlossaries(result.glossaries, saved.glossaries);
    return true;
  }

  async function onTest() {
    const serverUrl = settings.normalizeServerUrl($('serverUrl').value);
    if (!serverUrl) {
      show('test-result', 'That is not an http(s) URL.', false);
      return;
    }
    const token = $('token').value.trim();
    if (!(await permit(serverUrl))) {
      show('test-result', `termlight was not allowed to reach ${new URL(serverUrl).host}.`, false);
      return;
    }
    show('test-result', 'Testing…', true);
    await testWith(serverUrl, token, false);
  }

  async function onSave(e) {
    e.preventDefault();
    const values = readForm();
    const serverUrl = settings.normalizeServerUrl(values.serverUrl);
    if (!serverUrl) {
      show('save-result', 'The server URL must start with http:// or https://.', false);
      return;
    }
    if (settings.isInsecureServer(serverUrl) && !values.insecureOk) {
      show('save-result', 'Not saved: tick "Send my token and the text of pages unencrypted", or use an https:// URL.', false);
      return;
    }
    if (!(await permit(serverUrl, values))) {
      show('save-result', 'Not saved: the browser did not give termlight the access these settings need.', false);
      return;
    }
    saved = await settings.save({ ...values, serverUrl });
    saved = (await settings.loadWithPolicy()).settings;
    chrome.storage.local.remove('migratedFrom').catch(() => {});
    $('migrated').hidden = true;
    fill(saved);
    showLocked();
    show('save-result', 'Saved.', true);
  }

  async function main() {
    ({ settings: saved, locked } = await settings.loadWithPolicy());
    fill(saved);
    showLocked();
    $('form').addEventListener('submit', onSave);
    $('test').addEventListener('click', onTest);
    $('serverUrl').addEventListener('input', showInsecure);
    const { migratedFrom } = await chrome.storage.local.get('migratedFrom');
    $('migrated').hidden = !migratedFrom;
    document.body.dataset.ready = 'true';
    // List the glossaries if the saved server answers; stay quiet if it does not.
    testWith(saved.serverUrl, saved.token, true);
  }

  main();
})();
