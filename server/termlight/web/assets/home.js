"use strict";
/* global termlightApi */
// The home page: search the glossary and highlight a pasted paragraph.
// Everything that comes from the server is put on the page with textContent or
// attributes set through the DOM, never parsed as HTML.

(() => {
  const { $, el } = termlightDom;
  const MAX_SHOWN = 100;
  const SAFE_SCHEMES = new Set(["http:", "https:"]);

  function safeUrl(raw) {
    try {
      const url = new URL(raw, window.location.href);
      return SAFE_SCHEMES.has(url.protocol) ? url.href : null;
    } catch (_err) {
      return null;
    }
  }

  function setStatus(id, text, isError) {
    const node = $(id);
    node.textContent = text;
    node.classList.toggle("error", Boolean(isError));
  }

  // A failed call: a missing or refused token points at this page's own token box.
  function showFailure(id, what, err) {
    if (err instanceof termlightApi.ApiError && err.status === 401) {
      setStatus(id, "This server needs an API token: paste it under “API token” at the top of " +
        "the page and press Save.", true);
      $("token-box").open = true;
      return;
    }
    setStatus(id, `${what} failed: ${err.message}`, true);
  }

  // --- terms by id: related chips show names and open the term ---------------
  const known = new Map(); // id -> term object, from every answer this page got
  const pending = new Map(); // id -> Promise of a term (or null when it does not exist)

  function remember(terms) {
    for (const term of terms) if (term && term.id) known.set(term.id, term);
  }

  function lookUp(id) {
    if (known.has(id)) return Promise.resolve(known.get(id));
    if (!pending.has(id)) {
      pending.set(id, termlightApi.get("/v1/terms/" + encodeURIComponent(id))
        .then((term) => { remember([term]); return term; })
        .catch(() => null));
    }
    return pending.get(id);
  }

  function relatedChip(id, from) {
    const button = el("button", "related", known.has(id) ? known.get(id).term : id);
    button.type = "button";
    if (!known.has(id)) {
      lookUp(id).then((term) => { if (term) button.textContent = term.term; });
    }
    button.addEventListener("click", () => openTerm(id, from));
    return button;
  }

  async function openTerm(id, from) {
    const term = await lookUp(id);
    if (!term) {
      setStatus("search-status", "That related term is not on this server.", true);
      return;
    }
    searchSeq++; // a search still running must not replace this
    $("search").value = term.term;
    showTerms("results", [term]);
    setStatus("search-status", from ? `“${term.term}”, related to “${from.term}”.` : `“${term.term}”.`);
    $("search-title").scrollIntoView({ block: "start" });
  }

  function termItem(term) {
    const li = el("li", "term");
    li.dataset.termId = term.id;
    const head = el("div", "term-head");
    head.append(el("strong", "term-name", term.term), el("span", "glossary-tag", term.glossary));
    li.append(head);
    if (term.aliases && term.aliases.length) {
      li.append(el("div", "aliases", "Also: " + term.aliases.join(", ")));
    }
    li.append(el("p", "definition", term.definition));
    const more = el("div", "term-more");
    const href = term.url ? safeUrl(term.url) : null;
    if (href) {
      const link = el("a", "term-url", "Read more");
      link.href = href;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      more.append(link);
    }
    const related = term.related || [];
    if (related.length) more.append(el("span", "related-label", "Related:"));
    for (const rel of related) more.append(relatedChip(rel, term));
    if (more.childNodes.length) li.append(more);
    return li;
  }

  function showTerms(listId, terms) {
    const list = $(listId);
    list.replaceChildren(...terms.slice(0, MAX_SHOWN).map(termItem));
  }

  // --- search ---------------------------------------------------------------
  let searchSeq = 0;
  let searchTimer = null;

  async function runSearch() {
    const q = $("search").value.trim();
    const seq = ++searchSeq;
    try {
      const data = await termlightApi.get("/v1/terms?q=" + encodeURIComponent(q));
      if (seq !== searchSeq) return; // a newer search already answered
      remember(data.terms);
      if (!q) suggestExamples(data.terms);
      showTerms("results", data.terms);
      const shown = Math.min(data.count, MAX_SHOWN);
      setStatus("search-status", data.count === 0 ? "No matching terms."
        : `${data.count} term${data.count === 1 ? "" : "s"}` +
          (shown < data.count ? `, showing the first ${shown}` : "") + ".");
    } catch (err) {
      if (seq !== searchSeq) return;
      $("results").replaceChildren();
      showFailure("search-status", "Search", err);
    }
  }

  // --- highlighting ---------------------------------------------------------
  const tooltip = $("tooltip");
  let termsById = {};

  // Why a match matched (the `why` of POST /v1/match, rule 10 of the matching contract).
  const WHY_WORDS = { term: "the term's name", alias: "an alias", plural: "in the plural",
                      context: "an ambiguous word, counted because the text holds enough other terms",
                      ambiguous: "an ambiguous word" };
  function describeWhy(why) {
    return "Matched: " + String(why || "").split(" ").map((w) => WHY_WORDS[w] || w).join(", ") + ".";
  }

  function showTooltip(mark) {
    const term = termsById[mark.dataset.termId];
    if (!term) return;
    tooltip.replaceChildren(el("strong", "tooltip-term", term.term),
      el("span", "tooltip-definition", term.definition),
      el("span", "tooltip-why", describeWhy(mark.dataset.why)));
    tooltip.hidden = false;
    const box = mark.getBoundingClientRect();
    tooltip.style.left = `${Math.max(8, box.left + window.scrollX)}px`;
    tooltip.style.top = `${box.bottom + window.scrollY + 6}px`;
  }

  function hideTooltip() {
    tooltip.hidden = true;
  }

  function renderHighlighted(text, matches) {
    const out = $("highlighted");
    const parts = [];
    let at = 0;
    for (const m of matches) {
      if (m.start < at || m.end > text.length) continue; // never trust offsets blindly
      if (m.start > at) parts.push(document.createTextNode(text.slice(at, m.start)));
      const mark = el("mark", "term-mark", text.slice(m.start, m.end));
      mark.dataset.termId = m.term_id;
      mark.dataset.why = m.why || "";
      mark.title = describeWhy(m.why);
      mark.tabIndex = 0;
      mark.addEventListener("mouseenter", () => showTooltip(mark));
      mark.addEventListener("focus", () => showTooltip(mark));
      mark.addEventListener("mouseleave", hideTooltip);
      mark.addEventListener("blur", hideTooltip);
      parts.push(mark);
      at = m.end;
    }
    if (at < text.length) parts.push(document.createTextNode(text.slice(at)));
    out.replaceChildren(...parts);
  }

  // What the rules left plain, and why (POST /v1/match with "explain": true).
  const REASONS = { "no context": "an ambiguous word without enough other terms of its glossary in the text",
                    excluded: "inside an excluded form" };
  function renderSuppressed(suppressed, context) {
    const box = $("suppressed");
    if (!box) return;
    if (!suppressed || !suppressed.length) {
      box.replaceChildren();
      return;
    }
    const found = Object.entries((context && context.found) || {}).map(([g, n]) => `${g} ${n}`).join(", ") || "none";
    const items = suppressed.map((s) => el("li", null,
      `“${s.text}” (${s.term_id}): ${REASONS[s.reason] || s.reason}`));
    const head = el("p", "suppressed-title", context && context.needed
      ? `Left plain (an ambiguous word counts with ${context.needed} different unambiguous terms of its glossary; ` +
        `this text has: ${found}):`
      : "Left plain:");
    const list = el("ul");
    list.replaceChildren(...items);
    box.replaceChildren(head, list);
  }

  async function runHighlight() {
    const text = $("paragraph").value;
    hideTooltip();
    if (!text.trim()) {
      $("highlighted").replaceChildren();
      renderSuppressed([], null);
      $("found").replaceChildren();
      setStatus("highlight-status", "Paste some text first.");
      return;
    }
    setStatus("highlight-status", "Looking for terms…");
    try {
      const data = await termlightApi.post("/v1/match", { text, offsets: "utf16", explain: true });
      termsById = data.terms;
      remember(Object.values(data.terms));
      renderHighlighted(text, data.matches);
      renderSuppressed(data.suppressed, data.context);
      const seen = [];
      for (const m of data.matches) if (!seen.includes(m.term_id)) seen.push(m.term_id);
      showTerms("found", seen.map((id) => data.terms[id]).filter(Boolean));
      setStatus("highlight-status", data.matches.length === 0 ? "No glossary terms found."
        : `${data.matches.length} match${data.matches.length === 1 ? "" : "es"} of ` +
          `${seen.length} term${seen.length === 1 ? "" : "s"}. Hover a highlight for its definition.`);
    } catch (err) {
      showFailure("highlight-status", "Highlighting", err);
    }
  }

  // Placeholders name terms of the glossary this server serves, whatever its subject.
  let suggested = false;
  function suggestExamples(terms) {
    if (suggested || !terms.length) return;
    suggested = true;
    const picks = [];
    for (let i = 0; i < 3 && i < terms.length; i++) {
      picks.push(terms[Math.floor((i * terms.length) / 3)].term);
    }
    $("search").placeholder = `e.g. ${picks.join(", ")}`;
    $("paragraph").placeholder = `Paste a paragraph that mentions ${picks.slice(0, 2).join(" or ")}…`;
  }

  // --- token ----------------------------------------------------------------
  function initToken() {
    const input = $("token");
    input.value = termlightApi.token();
    if (input.value) $("token-box").open = false;
    $("token-save").addEventListener("click", () => {
      termlightApi.setToken(input.value.trim());
      runSearch();
    });
    $("token-clear").addEventListener("click", () => {
      input.value = "";
      termlightApi.setToken("");
      runSearch();
    });
  }

  initToken();
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 150);
  });
  $("highlight").addEventListener("click", runHighlight);
  $("paragraph").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runHighlight();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hideTooltip();
  });
  runSearch();
})();
