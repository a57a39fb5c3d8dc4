/*
 * The definition popover: term, aliases, definition, related terms (each one a button that
 * shows that term instead) and a link when the glossary gives a URL.
 *
 * Every string here comes from the server, so each one is set with textContent on elements we
 * create; markup in a definition shows up as the literal characters it is made of. It sits
 * below the term, or above it when there is no room below, and is clamped into the viewport.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});
  const { el, safeUrl, trusted } = ns.ui;
  const { liveRange } = ns.store;

  const GAP = 6;
  const MARGIN = 8;

  /** The line box of the occurrence nearest the pointer (a term can wrap onto two lines). */
  function anchorRect(occ, point) {
    const range = liveRange(occ);
    if (!range) return null;
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 || r.height > 0);
    if (!rects.length) return null;
    if (!point) return rects[0];
    let best = rects[0];
    let bestDist = Infinity;
    for (const r of rects) {
      const dx = point.x < r.left ? r.left - point.x : point.x > r.right ? point.x - r.right : 0;
      const dy = point.y < r.top ? r.top - point.y : point.y > r.bottom ? point.y - r.bottom : 0;
      const d = dx * dx + dy * dy;
      if (d < bestDist) {
        best = r;
        bestDist = d;
      }
    }
    return best;
  }

  /** Position a fixed card next to `rect`, flipping above and clamping so it stays on screen. */
  function place(card, rect) {
    const vw = document.documentElement.clientWidth || window.innerWidth;
    const vh = document.documentElement.clientHeight || window.innerHeight;
    const box = card.getBoundingClientRect();
    let top = rect.bottom + GAP;
    let placement = 'below';
    if (top + box.height > vh - MARGIN) {
      if (rect.top - GAP - box.height >= MARGIN) {
        top = rect.top - GAP - box.height;
        placement = 'above';
      } else {
        top = Math.max(MARGIN, vh - MARGIN - box.height);
      }
    }
    let left = Math.min(rect.left, vw - MARGIN - box.width);
    left = Math.max(MARGIN, left);
    card.style.top = `${Math.round(top)}px`;
    card.style.left = `${Math.round(left)}px`;
    card.dataset.placement = placement;
  }

  class Popover {
    /** @param {object} deps - store, painter, fetchTerm(id) -> Promise<term|null>, shadowRoot(),
     *  suggest(termId, term) (opens the extension's suggest window) */
    constructor(deps) {
      Object.assign(this, deps);
      this.card = null;
      this.occ = null;
      this.rect = null;
      this.termId = null;
      /** Each related-term button's id lives here, never in a DOM attribute a page could edit. */
      this.chipIds = new WeakMap();
    }

    get isOpen() {
      return !!(this.card && !this.card.hidden);
    }

    ensureCard() {
      const root = this.shadowRoot();
      if (!this.card) {
        this.card = el('div', 'card');
        this.card.hidden = true;
        this.card.setAttribute('role', 'dialog');
        this.card.addEventListener('click', (e) => this.onClick(e));
      }
      if (this.card.parentNode !== root) root.appendChild(this.card);
      return this.card;
    }

    /** Show the term of occurrence `occ`, next to it. Returns false when there is nothing to show. */
    show(occ, point) {
      const term = this.store.terms.get(occ.termId);
      const rect = anchorRect(occ, point);
      if (!term || !rect) return false;
      this.occ = occ;
      this.rect = rect;
      this.render(term, occ.termId);
      this.painter.setActive(occ);
      return true;
    }

    render(term, id) {
      const card = this.ensureCard();
      this.termId = id;
      const parts = [el('p', 'term', term.term)];
      const aliases = Array.isArray(term.aliases) ? term.aliases.filter((a) => typeof a === 'string') : [];
      if (aliases.length) parts.push(el('p', 'aliases', `Also: ${aliases.join(', ')}`));
      parts.push(el('p', 'definition', typeof term.definition === 'string' ? term.definition : ''));
      const related = Array.isArray(term.related) ? term.related.filter((r) => typeof r === 'string') : [];
      if (related.length) {
        const row = el('div', 'related');
        row.appendChild(el('span', 'related-label', 'Related:'));
        for (const rid of related) {
          const known = this.store.terms.get(rid);
          const chip = el('button', 'chip', known ? known.term : rid);
          chip.type = 'button';
          this.chipIds.set(chip, rid);
          row.appendChild(chip);
          if (!known) this.labelLater(chip, rid);
        }
        parts.push(row);
      }
      const href = safeUrl(term.url);
      if (href) {
        const link = el('a', 'more', 'Learn more \u2197');
        link.href = href;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        parts.push(link);
      }
      if (this.suggest) {
        const better = el('button', 'suggest-better', 'Suggest a better definition\u2026');
        better.type = 'button';
        parts.push(better);
      }
      card.replaceChildren(...parts);
      card.setAttribute('aria-label', String(term.term));
      card.style.visibility = 'hidden';
      card.hidden = false;
      place(card, this.rect);
      card.style.visibility = 'visible';
    }

    /** A related term the page does not mention: show its id until its name arrives. */
    async labelLater(chip, id) {
      const term = await this.fetchTerm(id);
      if (term && chip.isConnected && this.chipIds.get(chip) === id) chip.textContent = term.term;
    }

    /** A related-term chip swaps the card's content for that term, keeping the card where it is. */
    async onClick(e) {
      if (!trusted(e)) return;
      if (e.target.closest && e.target.closest('button.suggest-better') && this.termId) {
        const term = this.store.terms.get(this.termId);
        this.suggest(this.termId, term && typeof term.term === 'string' ? term.term : this.termId);
        return;
      }
      const chip = e.target.closest && e.target.closest('button.chip');
      const id = chip ? this.chipIds.get(chip) : undefined;
      if (!id) return;
      e.preventDefault();
      const term = this.store.terms.get(id) || (await this.fetchTerm(id));
      if (term && this.isOpen) this.render(term, id);
    }

    hide() {
      if (this.card) this.card.hidden = true;
      if (this.occ) this.painter.setActive(null);
      this.occ = null;
      this.termId = null;
    }

    /** Whether an event happened inside our UI (the shadow host is on its composed path). */
    containsEvent(e, host) {
      return !!host && typeof e.composedPath === 'function' && e.composedPath().includes(host);
    }
  }

  ns.popover = Object.freeze({ Popover, anchorRect, place });
})();
