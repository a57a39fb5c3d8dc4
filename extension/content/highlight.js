/*
 * Drawing: registers the occurrences with the CSS Custom Highlight API. The page's DOM is
 * never touched (no wrapper elements), so frameworks that own the DOM keep working; the look
 * comes from the ::highlight(termlight) rules in highlight.css.
 *
 * Two highlights are registered: "termlight" for every drawn occurrence and "termlight-active"
 * for the one the panel jumped to or the popover explains.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});

  const NAME = 'termlight';
  const ACTIVE_NAME = 'termlight-active';

  const supported = () => typeof CSS !== 'undefined' && CSS.highlights && typeof Highlight === 'function';

  class Painter {
    constructor() {
      this.drawn = new Set();
      this.byRange = new WeakMap();
      this.byNode = new Map();
      this.highlight = null;
      this.active = null;
    }

    ensureRegistered() {
      if (!supported()) return false;
      if (!this.highlight) {
        this.highlight = new Highlight();
        this.active = new Highlight();
        this.active.priority = 1;
      }
      // Re-register when a page script cleared the registry.
      if (CSS.highlights.get(NAME) !== this.highlight) CSS.highlights.set(NAME, this.highlight);
      if (CSS.highlights.get(ACTIVE_NAME) !== this.active) CSS.highlights.set(ACTIVE_NAME, this.active);
      return true;
    }

    /** Make the drawn set equal to `occurrences`, adding and deleting only the difference. */
    sync(occurrences) {
      if (!this.ensureRegistered()) return;
      const next = new Set(occurrences);
      for (const occ of this.drawn) {
        if (!next.has(occ)) {
          this.highlight.delete(occ.range);
          this.byRange.delete(occ.range);
          if (this.active.has(occ.range)) this.active.delete(occ.range);
        }
      }
      for (const occ of next) {
        if (!this.drawn.has(occ)) {
          this.highlight.add(occ.range);
          this.byRange.set(occ.range, occ);
        }
      }
      this.drawn = next;
      this.byNode = new Map();
      for (const occ of next) {
        for (const n of occ.nodes) {
          let list = this.byNode.get(n);
          if (!list) this.byNode.set(n, (list = []));
          list.push(occ);
        }
      }
    }

    setActive(occ) {
      if (!this.ensureRegistered()) return;
      this.active.clear();
      if (occ) this.active.add(occ.range);
    }

    /** Remove everything termlight registered, leaving other extensions' highlights alone. */
    clear() {
      if (this.highlight) this.highlight.clear();
      if (this.active) this.active.clear();
      if (supported()) {
        if (CSS.highlights.get(NAME) === this.highlight) CSS.highlights.delete(NAME);
        if (CSS.highlights.get(ACTIVE_NAME) === this.active) CSS.highlights.delete(ACTIVE_NAME);
      }
      this.drawn = new Set();
      this.byNode = new Map();
    }

    /** The drawn occurrence a registered range belongs to (used by highlightsFromPoint). */
    occurrenceOfRange(range) {
      return this.byRange.get(range) || null;
    }

    /** Drawn occurrences that cover a text node (used by caret-based hit testing). */
    occurrencesInNode(node) {
      return this.byNode.get(node) || [];
    }

    get count() {
      return this.drawn.size;
    }
  }

  ns.highlight = Object.freeze({ Painter, NAME, ACTIVE_NAME, supported });
})();
