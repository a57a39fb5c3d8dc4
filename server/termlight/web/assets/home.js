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
    for (const rel of term.related || []) {
      const button = el("button", "related", rel);
      button.type = "button";
      button.addEventListener("click", () => {
        $("search").value = rel;
        runSearch();
      });
      more.append(button);
    }
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
      showTerms("results", data.terms);
      const shown = Math.min(data.count, MAX_SHOWN);
      setStatus("search-status", data.count === 0 ? "No matching terms."
        : `${data.count} term${data.count === 1 ? "" : "s"}` +
          (shown < data.count ? `, showing the first ${shown}` : "") + ".");
    } catch (err) {
      if (seq !== searchSeq) return;
      $("results").replaceChildren();
      setStatus("search-status", `Search failed: ${err.message}`, true);
    }
  }

  // --- highlighting ---------------------------------------------------------
  const tooltip = $("tooltip");
  let termsById = {};

  function showTooltip(mark) {
    const term = termsById[mark.dataset.termId];
    if (!term) return;
    tooltip.replaceChildren(el("strong", "tooltip-term", term.term),
      el("span", "tooltip-definition", term.definition));
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

  async function runHighlight() {
    const text = $("paragraph").value;
    hideTooltip();
    if (!text.trim()) {
      $("highlighted").replaceChildren();
      $("found").replaceChildren();
      setStatus("highlight-status", "Paste some text first.");
      return;
    }
    setStatus("highlight-status", "Looking for terms…");
    try {
      const data = await termlightApi.post("/v1/match", { text, offsets: "utf16" });
      termsById = data.terms;
      renderHighlighted(text, data.matches);
      const seen = [];
      for (const m of data.matches) if (!seen.includes(m.term_id)) seen.push(m.term_id);
      showTerms("found", seen.map((id) => data.terms[id]).filter(Boolean));
      setStatus("highlight-status", data.matches.length === 0 ? "No glossary terms found."
        : `${data.matches.length} match${data.matches.length === 1 ? "" : "es"} of ` +
          `${seen.length} term${seen.length === 1 ? "" : "s"}. Hover a highlight for its definition.`);
    } catch (err) {
      setStatus("highlight-status", `Highlighting failed: ${err.message}`, true);
    }
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
