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

  /**
   * Chromium recomputes the markers of every registered range whenever any highlight changes
   * (about 3 µs per range per change, measured here), so 15,000 ranges cost a 45 ms frame for
   * each update, even for the one-range "active" highlight. Above this many occurrences only
   * the blocks within a screen and a half of the viewport are drawn, tracked with an
   * IntersectionObserver; every update then stays cheap however long the page is.
   */
  const WINDOW_ABOVE = 2500;
  const NEAR_MARGIN = '150% 0px 150% 0px';

  const supported = () => typeof CSS !== 'undefined' && CSS.highlights && typeof Highlight === 'function';

  class Painter {
    constructor() {
      this.drawn = new Set();
      this.byRange = new WeakMap();
      this.byNode = new Map();
      this.highlight = null;
      this.active = null;
      this.wanted = [];
      this.near = new Set();
      this.watched = new Set();
      this.io = null;
      this.frame = 0;
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

    /** Draw `occurrences` (all of them, or the ones near the viewport on a very long page). */
    sync(occurrences) {
      this.wanted = occurrences;
      this.apply();
    }

    apply() {
      if (!this.ensureRegistered()) return;
      let target = this.wanted;
      if (target.length > WINDOW_ABOVE) {
        this.watch(target);
        target = target.filter((occ) => this.near.has(occ.owner));
      } else if (this.io) {
        this.unwatch();
      }
      const next = new Set(target);
      for (const occ of this.drawn) {
        if (!next.has(occ)) {
          this.highlight.delete(occ.range);
          this.byRange.delete(occ.range);
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

    /** Observe the blocks the wanted occurrences live in; stop observing blocks that left. */
    watch(occurrences) {
      if (!this.io) {
        this.io = new IntersectionObserver((entries) => this.onIntersect(entries), { rootMargin: NEAR_MARGIN });
      }
      const owners = new Set();
      for (const occ of occurrences) owners.add(occ.owner);
      for (const owner of this.watched) {
        if (!owners.has(owner)) {
          this.io.unobserve(owner);
          this.watched.delete(owner);
          this.near.delete(owner);
        }
      }
      for (const owner of owners) {
        if (!this.watched.has(owner)) {
          this.watched.add(owner);
          this.io.observe(owner);
        }
      }
    }

    onIntersect(entries) {
      for (const e of entries) {
        if (e.isIntersecting) this.near.add(e.target);
        else this.near.delete(e.target);
      }
      if (!this.frame) {
        this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          this.apply();
        });
      }
    }

    unwatch() {
      if (this.io) this.io.disconnect();
      this.io = null;
      this.watched.clear();
      this.near.clear();
      cancelAnimationFrame(this.frame);
      this.frame = 0;
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
      this.unwatch();
      this.wanted = [];
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

  ns.highlight = Object.freeze({ Painter, NAME, ACTIVE_NAME, WINDOW_ABOVE, supported });
})();
