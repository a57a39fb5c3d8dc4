"use strict";
// The review and edit page: the suggestion queue, the team's terms with an editor, and a
// term's history with undo. Every server string goes in through textContent (termlightDom.el),
// links only when they parse as http(s) URLs.
(() => {
  const { $, el } = termlightDom;
  const api = termlightApi;
  const etags = new Map(); // term id -> ETag of the version the editor loaded

  function say(id, text, isError) {
    const node = $(id);
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  function safeLink(url, text) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === "http:" || parsed.protocol === "https:") {
        const a = el("a", "", text || url);
        a.href = parsed.href;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        return a;
      }
    } catch (_err) {
      /* not a URL: shown as text below */
    }
    return el("span", "", url);
  }

  const list = (value) => value.split(",").map((s) => s.trim()).filter(Boolean);
  const problemText = (err) => (err instanceof api.ApiError ? `${err.status}: ${err.message}` : String(err));

  function showErrors(err) {
    const box = $("editor-errors");
    box.replaceChildren();
    const errors = err && err.problem && Array.isArray(err.problem.errors) ? err.problem.errors : [];
    for (const line of errors) box.append(el("li", "", line));
  }

  // --- who ---------------------------------------------------------------------------
  async function loadWho() {
    try {
      const me = await api.get("/v1/me");
      const canEdit = me.role === "editor" || me.role === "admin";
      say("who", me.anonymous ? "Not signed in: enter an editor token above."
        : `Signed in as ${me.name} (${me.role})${canEdit ? "" : " — reviewing needs the editor role"}.`, !canEdit);
      return canEdit;
    } catch (err) {
      say("who", problemText(err), true);
      return false;
    }
  }

  // --- suggestions -----------------------------------------------------------------------
  function suggestionCard(s) {
    const li = el("li", "card suggestion");
    li.dataset.id = String(s.id);
    const head = el("div", "term-head");
    head.append(el("strong", "s-term", s.term), el("span", "kind", s.kind));
    if (s.term_id) head.append(el("span", "meta", `about ${s.term_id}`));
    li.append(head);
    if (s.definition) li.append(el("p", "definition s-definition", s.definition));
    if (s.aliases.length) li.append(el("p", "aliases", `Aliases: ${s.aliases.join(", ")}`));
    if (s.comment) li.append(el("p", "meta s-comment", `Comment: ${s.comment}`));
    const meta = el("p", "meta", `#${s.id} from ${s.author}, ${s.created_at}`);
    if (s.source_url) meta.append(" · seen on ", safeLink(s.source_url));
    li.append(meta);

    const form = el("div", "approve-form");
    const field = (label, value, cls, tag) => {
      const wrap = el("label", "", label);
      const input = el(tag || "input", cls);
      input.value = value || "";
      wrap.append(input);
      form.append(wrap);
      return input;
    };
    const term = field("Term", s.term, "a-term");
    const definition = field("Definition", s.definition, "a-definition", "textarea");
    const aliases = field("Aliases", s.aliases.join(", "), "a-aliases");
    const note = field("Note to the reader", "", "a-note");
    const actions = el("div", "actions");
    const approve = el("button", "approve", "Approve");
    const reject = el("button", "reject", "Reject");
    approve.type = reject.type = "button";
    actions.append(approve, reject);
    const status = el("p", "status");
    form.append(actions, status);
    li.append(form);

    approve.addEventListener("click", async () => {
      const edits = { term: term.value.trim(), definition: definition.value.trim(),
        aliases: list(aliases.value), note: note.value.trim() };
      try {
        const res = await api.post(`/v1/suggestions/${s.id}/approve`, edits);
        status.textContent = `Approved: ${res.term.id} is in the team glossary.`;
        await Promise.all([loadQueue(), loadTerms()]);
      } catch (err) {
        status.textContent = problemText(err);
        status.classList.add("error");
      }
    });
    reject.addEventListener("click", async () => {
      try {
        await api.post(`/v1/suggestions/${s.id}/reject`, { note: note.value.trim() });
        await loadQueue();
      } catch (err) {
        status.textContent = problemText(err);
        status.classList.add("error");
      }
    });
    return li;
  }

  async function loadQueue() {
    try {
      const data = await api.get("/v1/suggestions?state=pending");
      $("queue").replaceChildren(...data.suggestions.map(suggestionCard));
      say("queue-status", data.count ? `${data.count} waiting.` : "Nothing waiting.");
    } catch (err) {
      say("queue-status", problemText(err), true);
    }
  }

  // --- team terms and the editor ---------------------------------------------------------------
  function openEditor(term) {
    $("editor").hidden = false;
    $("editor-title").textContent = term ? `Edit ${term.id}` : "New term";
    $("f-id").value = term ? term.id : "";
    $("f-id").readOnly = Boolean(term);
    $("f-term").value = term ? term.term : "";
    $("f-aliases").value = term ? term.aliases.join(", ") : "";
    $("f-definition").value = term ? term.definition : "";
    $("f-url").value = term && term.url ? term.url : "";
    $("f-tags").value = term ? term.tags.join(", ") : "";
    say("editor-status", "");
    showErrors(null);
    $("f-term").focus();
  }

  function slug(text) {
    return text.normalize("NFKC").toLowerCase().replace(/\+/g, " plus ").replace(/#/g, " sharp ")
      .match(/[\p{L}\p{N}]+/gu)?.join("-") || "";
  }

  async function save(event) {
    event.preventDefault();
    const id = $("f-id").value.trim() || slug($("f-term").value);
    const body = { term: $("f-term").value, definition: $("f-definition").value,
      aliases: list($("f-aliases").value), tags: list($("f-tags").value),
      url: $("f-url").value.trim() || null };
    const headers = etags.has(id) && $("f-id").readOnly ? { "If-Match": etags.get(id) } : { "If-None-Match": "*" };
    try {
      const res = await api.send("PUT", `/v1/terms/${encodeURIComponent(id)}`, body, headers);
      etags.set(id, res.etag);
      say("editor-status", `Saved ${id}.`);
      showErrors(null);
      $("editor").hidden = true;
      await loadTerms();
    } catch (err) {
      const stale = err instanceof api.ApiError && err.status === 412;
      say("editor-status", stale ? "Someone changed this term since you opened it: reload it and redo the edit."
        : problemText(err), true);
      showErrors(err);
    }
  }

  async function edit(termId) {
    try {
      const res = await api.send("GET", `/v1/terms/${encodeURIComponent(termId)}`);
      etags.set(termId, res.etag);
      openEditor(res.body);
    } catch (err) {
      say("terms-status", problemText(err), true);
    }
  }

  async function remove(termId) {
    if (!window.confirm(`Delete ${termId}?`)) return;
    try {
      const headers = etags.has(termId) ? { "If-Match": etags.get(termId) } : {};
      await api.send("DELETE", `/v1/terms/${encodeURIComponent(termId)}`, undefined, headers);
      await loadTerms();
    } catch (err) {
      say("terms-status", problemText(err), true);
    }
  }

  function termCard(term) {
    const li = el("li", "card team-term");
    li.dataset.id = term.id;
    const head = el("div", "term-head");
    head.append(el("strong", "", term.term), el("span", "meta", term.id));
    li.append(head, el("p", "definition", term.definition));
    if (term.aliases.length) li.append(el("p", "aliases", `Aliases: ${term.aliases.join(", ")}`));
    const actions = el("div", "actions");
    for (const [label, action] of [["Edit", edit], ["History", showHistory], ["Delete", remove]]) {
      const button = el("button", label.toLowerCase(), label);
      button.type = "button";
      button.addEventListener("click", () => action(term.id));
      actions.append(button);
    }
    li.append(actions);
    return li;
  }

  async function loadTerms() {
    try {
      const data = await api.get("/v1/terms?glossary=team");
      $("team-terms").replaceChildren(...data.terms.map(termCard));
      say("terms-status", data.count ? "" : "The team glossary is empty.");
    } catch (err) {
      const empty = err instanceof api.ApiError && err.status === 422;
      say("terms-status", empty ? "The team glossary is empty." : problemText(err), !empty);
      $("team-terms").replaceChildren();
    }
  }

  // --- history -----------------------------------------------------------------------------
  function diff(before, after) {
    const grid = el("div", "change-diff");
    const keys = ["term", "definition", "aliases", "url", "tags", "related"];
    for (const key of keys) {
      const a = before ? JSON.stringify(before[key] ?? null) : "—";
      const b = after ? JSON.stringify(after[key] ?? null) : "—";
      if (a === b) continue;
      const show = (v) => (v.startsWith("\"") ? JSON.parse(v) : v);
      grid.append(el("span", "field", key), el("span", "before", show(a)), el("span", "after", show(b)));
    }
    return grid;
  }

  async function showHistory(termId) {
    $("history-section").hidden = false;
    $("history-title").textContent = `History of ${termId}`;
    try {
      const data = await api.get(`/v1/terms/${encodeURIComponent(termId)}/history`);
      $("history").replaceChildren(...data.changes.map((c) => {
        const li = el("li", "card change");
        li.append(el("p", "meta", `#${c.seq} ${c.action} by ${c.actor}, ${c.at}` +
          (c.undoes ? ` (undoes #${c.undoes})` : "")), diff(c.before, c.after));
        const undo = el("button", "undo", "Undo this change");
        undo.type = "button";
        undo.addEventListener("click", async () => {
          try {
            await api.post(`/v1/history/${c.seq}/undo`, {});
            await Promise.all([showHistory(termId), loadTerms()]);
          } catch (err) {
            say("history-status", problemText(err), true);
          }
        });
        li.append(undo);
        return li;
      }));
      say("history-status", "");
    } catch (err) {
      say("history-status", problemText(err), true);
    }
  }

  async function refresh() {
    if (await loadWho()) await Promise.all([loadQueue(), loadTerms()]);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("token").value = api.token();
    $("token-save").addEventListener("click", () => { api.setToken($("token").value.trim()); refresh(); });
    $("token-clear").addEventListener("click", () => { api.setToken(""); $("token").value = ""; refresh(); });
    $("new-term").addEventListener("click", () => openEditor(null));
    $("f-cancel").addEventListener("click", () => { $("editor").hidden = true; });
    $("editor").addEventListener("submit", save);
    refresh();
  });
})();
