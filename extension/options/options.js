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
  const { ToWorker, send } = globalThis.termlightProtocol;
  const $ = (id) => document.getElementById(id);

  let saved = settings.DEFAULTS;
  let knownGlossaries = null;

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
    };
    if (knownGlossaries) {
      const boxes = [...document.querySelectorAll('input[name="glossary"]')];
      const ticked = boxes.filter((b) => b.checked).map((b) => b.value);
      values.glossaries = ticked.length === boxes.length ? [] : ticked;
    }
    return values;
  }

  /** Ask for the optional host permission a custom server needs; true when it is (already) granted. */
  async function permit(serverUrl) {
    const pattern = settings.permissionPattern(serverUrl);
    if (!pattern) return true;
    try {
      return await chrome.permissions.request({ origins: [pattern] });
    } catch {
      return false;
    }
  }

  async function testWith(serverUrl, token, quiet) {
    const reply = await send({ type: ToWorker.TEST, serverUrl, token });
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
    if (!(await permit(serverUrl))) {
      show('save-result', `Not saved: termlight was not allowed to reach ${new URL(serverUrl).host}.`, false);
      return;
    }
    saved = await settings.save({ ...values, serverUrl });
    fill(saved);
    show('save-result', 'Saved.', true);
  }

  async function main() {
    saved = await settings.load();
    fill(saved);
    $('form').addEventListener('submit', onSave);
    $('test').addEventListener('click', onTest);
    document.body.dataset.ready = 'true';
    // List the glossaries if the saved server answers; stay quiet if it does not.
    testWith(saved.serverUrl, saved.token, true);
  }

  main();
})();
