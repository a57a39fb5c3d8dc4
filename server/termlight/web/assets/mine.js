"use strict";
// The home page's "Your suggestions": GET /v1/suggestions answers a reader with their own
// (by token name), each with its state and the editor's note. Text only (termlightDom.el).
(() => {
  const { $, el } = termlightDom;

  async function showMine() {
    const status = $("mine-status");
    status.classList.remove("error");
    try {
      const data = await termlightApi.get("/v1/suggestions");
      const items = data.suggestions.slice().reverse().map((s) => {
        const li = el("li", "term suggestion");
        const head = el("div", "term-head");
        head.append(el("strong", "term-name", s.term), el("span", `glossary-tag state-${s.state}`, s.state));
        li.append(head);
        if (s.note) li.append(el("p", "definition", `Editor: ${s.note}`));
        return li;
      });
      $("mine").replaceChildren(...items);
      status.textContent = items.length ? "" : "None yet: select text on a page and choose “Suggest for the glossary…” in the extension.";
    } catch (err) {
      $("mine").replaceChildren();
      status.textContent = err.status === 401 ? "Save your token above to see your suggestions." : err.message;
      status.classList.toggle("error", err.status !== 401);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    showMine();
    for (const id of ["token-save", "token-clear"]) $(id).addEventListener("click", showMine);
  });
})();
