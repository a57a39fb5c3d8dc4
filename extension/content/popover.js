/*
 * The definition popover: the glossary's name, term, aliases, definition, related terms (each
 * one a button that shows that term instead, with "Back" to return), a link when the glossary
 * gives a URL, and the other meanings the same words have in other glossaries, each with its
 * glossary. The meaning shown first is the server's choice: the term of the glossary that comes
 * first in the server's order (its glossary files by name), which is also the order of the
 * options page's glossary list; the others follow in that order.
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
      this.alternatives = [];
      /** Terms shown before the current one (related terms followed), for "Back". */
      this.history = [];
      /** Each related-term button's id lives here, never in a DOM attribute a page could edit. */
      this.chipIds = new WeakMap();
      this.backButtons = new WeakSet();
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
      this.history = [];
      this.alternatives = occ.alternatives || [];
      this.render(term, occ.termId);
      this.painter.setActive(occ);
      this.refresh(occ);
      return true;
    }

    /**
     * Ask for the term again: the worker answers from what it knows unless the glossary changed
     * on the server (it checks at most every few seconds), so an edited definition shows on the
     * next hover without new page text. A term matched in the browser (local matching) arrives
     * with its name only (`partial`): its definition comes this way too.
     */
    async refresh(occ) {
      const ids = [occ.termId, ...(occ.alternatives || [])];
      const before = ids.map((id) => JSON.stringify(this.store.terms.get(id) || null));
      const after = await Promise.all(ids.map((id) => this.fetchTerm(id)));
      if (this.occ !== occ || this.termId !== occ.termId || this.history.length) return;
      if (after.some((t, i) => t && JSON.stringify(t) !== before[i])) this.render(this.store.terms.get(occ.termId), occ.termId);
    }

    render(term, id) {
      const card = this.ensureCard();
      this.termId = id;
      const parts = [];
      if (this.history.length) {
        const back = el('button', 'chip back', '\u2190 Back');
        back.type = 'button';
        this.backButtons.add(back);
        parts.push(back);
      }
      const glossary = this.store.glossaryName(term.glossary);
      if (glossary) parts.push(el('p', 'glossary', glossary));
      parts.push(el('p', 'term', term.term));
      const aliases = Array.isArray(term.aliases) ? term.aliases.filter((a) => typeof a === 'string') : [];
      if (aliases.length) parts.push(el('p', 'aliases', `Also: ${aliases.join(', ')}`));
      parts.push(el('p', 'definition', term.partial ? '\u2026' : typeof term.definition === 'string' ? term.definition : ''));
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
      const others = this.history.length ? [] : this.alternatives.filter((a) => a !== id);
      if (others.length) {
        const box = el('div', 'others');
        box.appendChild(el('p', 'others-label', others.length === 1 ? 'Another meaning' : 'Other meanings'));
        for (const aid of others) {
          const alt = this.store.terms.get(aid);
          if (!alt) continue;
          const item = el('div', 'other');
          item.appendChild(el('p', 'glossary', this.store.glossaryName(alt.glossary)));
          item.appendChild(el('p', 'other-term', alt.term));
          item.appendChild(el('p', 'definition', alt.partial ? '\u2026' : typeof alt.definition === 'string' ? alt.definition : ''));
          box.appendChild(item);
        }
        parts.push(box);
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
      if (chip && this.backButtons.has(chip)) {
        e.preventDefault();
        const previous = this.history.pop();
        const term = previous && this.store.terms.get(previous);
        if (term && this.isOpen) this.render(term, previous);
        return;
      }
      const id = chip ? this.chipIds.get(chip) : undefined;
      if (!id) return;
      e.preventDefault();
      const term = this.store.terms.get(id) || (await this.fetchTerm(id));
      if (term && this.isOpen) {
        this.history.push(this.termId);
        this.render(term, id);
      }
    }

    hide() {
      if (this.card) this.card.hidden = true;
      if (this.occ) this.painter.setActive(null);
      this.occ = null;
      this.termId = null;
      this.history = [];
    }

    /** Whether an event happened inside our UI (the shadow host is on its composed path). */
    containsEvent(e, host) {
      return !!host && typeof e.composedPath === 'function' && e.composedPath().includes(host);
    }
  }

  ns.popover = Object.freeze({ Popover, anchorRect, place });
})();
