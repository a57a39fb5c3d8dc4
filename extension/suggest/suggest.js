// @ts-check
/*
 * The suggest form: the extension's own window, prefilled from the query string (term, url,
 * kind, term_id) by whoever opened it (the context menu, the popup, a popover). Sends through
 * the worker (ToWorker.SUGGEST) and lists the reader's own suggestions and their state. Every
 * string from the server or the page goes in through textContent.
 */
(() => {
  'use strict';

  const { ToWorker, send } = globalThis.termlightProtocol;
  /** @param {string} id */
  const $ = (id) => /** @type {any} */ (document.getElementById(id));
  const params = new URLSearchParams(location.search);
  const source = params.get('url') || '';
  const termId = params.get('term_id') || '';

  /** @param {string} tag @param {string} cls @param {string} text */
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    node.textContent = text;
    return node;
  }

  function say(text, isError) {
    $('status').textContent = text;
    $('status').classList.toggle('error', !!isError);
  }

  async function loadMine() {
    const reply = await send({ type: ToWorker.MY_SUGGESTIONS });
    const list = $('mine');
    if (reply.error) {
      list.replaceChildren(el('li', 'note', reply.error.message));
      return;
    }
    list.replaceChildren(...reply.suggestions.slice().reverse().map((/** @type {any} */ s) => {
      const li = el('li', '', String(s.term));
      li.append(el('span', 'state', String(s.state)));
      if (s.note) li.append(el('span', 'note', `Editor: ${s.note}`));
      return li;
    }));
    if (!reply.suggestions.length) list.replaceChildren(el('li', 'note', 'None yet.'));
  }

  /** @param {Event} e */
  async function submit(e) {
    e.preventDefault();
    const suggestion = {
      kind: $('kind').value,
      term: $('term').value,
      definition: $('definition').value,
      aliases: $('aliases').value.split(',').map((/** @type {string} */ a) => a.trim()).filter(Boolean),
      source_url: $('use-source').checked && source ? source : null,
      term_id: termId || null,
      comment: $('comment').value,
    };
    $('send').disabled = true;
    say('Sending…');
    const reply = await send({ type: ToWorker.SUGGEST, suggestion });
    $('send').disabled = false;
    if (reply.error) {
      say(reply.error.message, true);
      return;
    }
    say('Thank you: the editors will review it.');
    $('definition').value = '';
    $('comment').value = '';
    document.body.dataset.sent = String(reply.suggestion.id);
    loadMine();
  }

  function main() {
    $('term').value = params.get('term') || '';
    const kind = params.get('kind');
    if (kind && [...$('kind').options].some((/** @type {HTMLOptionElement} */ o) => o.value === kind)) $('kind').value = kind;
    if (termId) {
      $('about').hidden = false;
      $('about').textContent = `About the glossary term ${termId}.`;
    }
    if (source) $('source').textContent = source;
    else $('source-row').hidden = true;
    $('form').addEventListener('submit', submit);
    loadMine();
    ($('term').value ? $('definition') : $('term')).focus();
    document.body.dataset.ready = 'true';
  }

  main();
})();
