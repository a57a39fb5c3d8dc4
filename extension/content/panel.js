/*
 * The "terms on this page" panel, opened by the extension's keyboard command. It lists each
 * term found, in the order the page first mentions it, with its definition. Typing filters the
 * list (by name or alias), arrow keys move through it, Enter jumps to the selected term's next
 * occurrence below where the page is scrolled to (and again to the one after), Escape closes
 * the panel and gives focus back to where it was.
 *
 * It is a listbox with aria-activedescendant so screen readers follow the selection while the
 * keyboard focus stays on the list.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});
  const { el, trusted } = ns.ui;

  class Panel {
    /** @param {object} deps - store, painter, shadowRoot(), lastError() */
    constructor(deps) {
      Object.assign(this, deps);
      this.box = null;
      this.list = null;
      this.statusLine = null;
      this.filter = null;
      this.ids = [];
      this.groups = new Map();
      this.selected = 0;
      this.cursor = new Map();
      this.returnFocus = null;
      /** Each list item's position, kept here rather than in a DOM attribute. */
      this.itemIndex = new WeakMap();
      this.onDocumentKey = this.onDocumentKey.bind(this);
    }

    get isOpen() {
      return !!(this.box && !this.box.hidden);
    }

    toggle() {
      if (this.isOpen) this.close();
      else this.open();
    }

    ensureBox() {
      const root = this.shadowRoot();
      if (!this.box) {
        this.box = el('section', 'panel');
        this.box.hidden = true;
        this.box.setAttribute('aria-label', 'termlight: terms on this page');
        const header = el('header');
        header.append(el('h2', null, 'Terms on this page'), el('p', 'hint', 'Type to filter \u00b7 \u2191 \u2193 to choose \u00b7 Enter to jump \u00b7 Esc to close'));
        this.filter = el('input', 'filter');
        this.filter.type = 'search';
        this.filter.placeholder = 'Filter';
        this.filter.setAttribute('aria-label', 'Filter the terms');
        this.filter.setAttribute('aria-controls', 'termlight-list');
        this.filter.addEventListener('keydown', (e) => this.onKey(e));
        this.filter.addEventListener('input', () => this.refresh());
        header.append(this.filter);
        this.list = el('ul');
        this.list.id = 'termlight-list';
        this.list.tabIndex = 0;
        this.list.setAttribute('role', 'listbox');
        this.list.setAttribute('aria-label', 'Glossary terms found on this page');
        this.list.addEventListener('keydown', (e) => this.onKey(e));
        this.list.addEventListener('click', (e) => this.onClick(e));
        this.statusLine = el('p', 'status');
        this.statusLine.setAttribute('role', 'status');
        this.box.append(header, this.list, this.statusLine);
      }
      if (this.box.parentNode !== root) root.appendChild(this.box);
      return this.box;
    }

    open() {
      const box = this.ensureBox();
      this.returnFocus = document.activeElement;
      this.refresh();
      box.hidden = false;
      this.filter.focus({ preventScroll: true });
      document.addEventListener('keydown', this.onDocumentKey, true);
    }

    close() {
      if (!this.box) return;
      this.box.hidden = true;
      this.painter.setActive(null);
      document.removeEventListener('keydown', this.onDocumentKey, true);
      const back = this.returnFocus;
      this.returnFocus = null;
      if (back && typeof back.focus === 'function' && back.isConnected) back.focus({ preventScroll: true });
    }

    /** Rebuild the list from the store, keeping the selected term selected. */
    refresh() {
      if (!this.box) return;
      const keep = this.ids[this.selected];
      this.groups = this.store.byTerm();
      const query = this.filter ? this.filter.value.trim().toLowerCase() : '';
      const firsts = [...this.groups.entries()].map(([id, occs]) => [id, occs[0]]).filter(([id]) => this.matches(id, query));
      firsts.sort((a, b) => ns.store.compareOccurrences(a[1], b[1]));
      this.ids = firsts.map(([id]) => id);
      this.selected = Math.max(0, this.ids.indexOf(keep));
      const items = this.ids.map((id, i) => {
        const term = this.store.terms.get(id) || { term: id, definition: '' };
        const li = el('li');
        li.id = `termlight-item-${i}`;
        li.setAttribute('role', 'option');
        this.itemIndex.set(li, i);
        const n = this.groups.get(id).length;
        li.append(el('span', 'name', term.term), el('span', 'count', n === 1 ? '1\u00d7' : `${n}\u00d7`), el('div', 'def', term.definition));
        return li;
      });
      if (items.length) {
        this.list.replaceChildren(...items);
      } else {
        const err = this.lastError();
        const text = err ? `No terms: ${err.message}` : query ? 'No term on this page matches the filter.' : 'No glossary terms found on this page.';
        this.list.replaceChildren(el('li', 'empty', text));
      }
      this.select(this.selected, false);
    }

    select(index, scroll = true) {
      if (!this.ids.length) {
        this.list.removeAttribute('aria-activedescendant');
        return;
      }
      this.selected = (index + this.ids.length) % this.ids.length;
      for (const li of this.list.children) {
        li.setAttribute('aria-selected', this.itemIndex.get(li) === this.selected ? 'true' : 'false');
      }
      const current = this.list.children[this.selected];
      this.list.setAttribute('aria-activedescendant', current.id);
      if (scroll) current.scrollIntoView({ block: 'nearest' });
    }

    /** Whether term `id` passes the filter: its name or an alias contains the query. */
    matches(id, query) {
      if (!query) return true;
      const term = this.store.terms.get(id);
      const names = term ? [term.term, ...(Array.isArray(term.aliases) ? term.aliases : [])] : [id];
      return names.some((n) => typeof n === 'string' && n.toLowerCase().includes(query));
    }

    /**
     * Which occurrence Enter goes to: the one after the last jump while that one is still on
     * screen, otherwise the first one below the top of the window (wrapping to the first).
     */
    nextIndex(id, occs) {
      const last = this.cursor.get(id);
      if (last !== undefined && occs[last]) {
        const r = ns.store.liveRange(occs[last]);
        const box = r && r.getBoundingClientRect();
        if (box && box.bottom > 0 && box.top < window.innerHeight) return (last + 1) % occs.length;
      }
      for (let i = 0; i < occs.length; i++) {
        const r = ns.store.liveRange(occs[i]);
        const box = r && r.getBoundingClientRect();
        if (box && box.top >= 0) return i;
      }
      return 0;
    }

    /** Scroll to the next occurrence of the selected term and mark it. */
    jump() {
      const id = this.ids[this.selected];
      const occs = id && this.groups.get(id);
      if (!occs || !occs.length) return;
      const next = this.nextIndex(id, occs);
      this.cursor.set(id, next);
      const occ = occs[next];
      const anchor = occ.range.startContainer.parentElement;
      if (anchor) anchor.scrollIntoView({ block: 'center', inline: 'nearest' });
      this.painter.setActive(occ);
      const term = this.store.terms.get(id);
      this.statusLine.textContent = `${term ? term.term : id}: occurrence ${next + 1} of ${occs.length}`;
    }

    onKey(e) {
      if (!trusted(e)) return;
      const actions = {
        ArrowDown: () => this.select(this.selected + 1),
        ArrowUp: () => this.select(this.selected - 1),
        Home: () => this.select(0),
        End: () => this.select(this.ids.length - 1),
        Enter: () => this.jump(),
        Escape: () => this.close(),
      };
      const action = actions[e.key];
      if (!action || (e.target === this.filter && (e.key === 'Home' || e.key === 'End'))) return;
      e.preventDefault();
      e.stopPropagation();
      action();
    }

    onClick(e) {
      if (!trusted(e)) return;
      const li = e.target.closest && e.target.closest('li');
      const index = li ? this.itemIndex.get(li) : undefined;
      if (index === undefined) return;
      this.select(index, false);
      this.jump();
    }

    /** Escape closes the panel even when the focus went back to the page. */
    onDocumentKey(e) {
      if (trusted(e) && e.key === 'Escape' && this.isOpen) this.close();
    }
  }

  ns.panel = Object.freeze({ Panel });
})();
