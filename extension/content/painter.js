/*
 * Drawing: registers the occurrences with the CSS Custom Highlight API. The page's DOM is
 * never touched (no wrapper elements), so frameworks that own the DOM keep working; the look
 * comes from the ::highlight(termlight) rules in highlight.css.
 *
 * Three highlights are registered: "termlight" for every underlined occurrence, "termlight-quiet"
 * for the occurrences that are not underlined (with "first occurrence" on: no style, but the
 * browser's hit testing still finds them, so every occurrence can be hovered), and
 * "termlight-active" for the one the panel jumped to or the popover explains.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});

  const NAME = 'termlight';
  const ACTIVE_NAME = 'termlight-active';
  const QUIET_NAME = 'termlight-quiet';

  /**
   * Chromium recomputes the markers of every registered range whenever any highlight changes
   * (about 3 µs per range per change, measured here), so 15,000 ranges cost a 45 ms frame for
   * each update, even for the one-range "active" highlight. Above this many occurrences only
   * the blocks near the viewport are drawn (see viewportwindow.js); every update then stays cheap
   * however long the page is.
   */
  const WINDOW_ABOVE = 2500;

  const supported = () => typeof CSS !== 'undefined' && CSS.highlights && typeof Highlight === 'function';

  class Painter {
    constructor() {
      this.drawn = new Map(); // occurrence -> the highlight it is registered in
      this.byRange = new WeakMap();
      this.byNode = new Map();
      this.highlight = null;
      this.quiet = null;
      this.active = null;
      this.wanted = [];
      this.underlined = null; // null: every occurrence; else the Set of those to underline
      this.groups = null;
      this.syncing = false;
      this.nearby = new ns.viewportWindow.ViewportWindow(() => this.onNearbyChange());
    }

    ensureRegistered() {
      if (!supported()) return false;
      if (!this.highlight) {
        this.highlight = new Highlight();
        this.quiet = new Highlight();
        this.active = new Highlight();
        this.active.priority = 1;
      }
      // Re-register when a page script cleared the registry.
      if (CSS.highlights.get(NAME) !== this.highlight) CSS.highlights.set(NAME, this.highlight);
      if (CSS.highlights.get(QUIET_NAME) !== this.quiet) CSS.highlights.set(QUIET_NAME, this.quiet);
      if (CSS.highlights.get(ACTIVE_NAME) !== this.active) CSS.highlights.set(ACTIVE_NAME, this.active);
      return true;
    }

    /**
     * Register `occurrences` (all of them, or the ones near the viewport on a very long page);
     * those in `underlined` (every one when it is null) are drawn, the others only hoverable.
     */
    sync(occurrences, underlined = null) {
      this.wanted = occurrences;
      this.underlined = underlined;
      if (occurrences.length > WINDOW_ABOVE) {
        const groups = new Map();
        for (const occ of occurrences) {
          let list = groups.get(occ.owner);
          if (!list) groups.set(occ.owner, (list = []));
          list.push(occ);
        }
        this.groups = groups;
        this.syncing = true;
        try {
          this.nearby.setOwners([...groups.keys()]);
        } finally {
          this.syncing = false;
        }
      } else if (this.groups) {
        this.groups = null;
        this.nearby.stop();
      }
      this.apply();
    }

    /** The nearby set changed while scrolling. */
    onNearbyChange() {
      if (!this.syncing && this.groups) this.apply();
    }

    apply() {
      if (!this.ensureRegistered()) return;
      let target = this.wanted;
      if (this.groups) {
        target = [];
        for (const owner of this.nearby.near) {
          const list = this.groups.get(owner);
          if (list) for (const occ of list) target.push(occ);
        }
      }
      const next = new Map();
      for (const occ of target) next.set(occ, !this.underlined || this.underlined.has(occ) ? this.highlight : this.quiet);
      for (const [occ, where] of this.drawn) {
        if (next.get(occ) !== where) {
          where.delete(occ.range);
          if (!next.has(occ)) this.byRange.delete(occ.range);
        }
      }
      for (const [occ, where] of next) {
        if (this.drawn.get(occ) !== where) {
          where.add(occ.range);
          this.byRange.set(occ.range, occ);
        }
      }
      this.drawn = next;
      this.byNode = new Map();
      for (const occ of next.keys()) {
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
      if (this.quiet) this.quiet.clear();
      if (this.active) this.active.clear();
      if (supported()) {
        if (CSS.highlights.get(NAME) === this.highlight) CSS.highlights.delete(NAME);
        if (CSS.highlights.get(QUIET_NAME) === this.quiet) CSS.highlights.delete(QUIET_NAME);
        if (CSS.highlights.get(ACTIVE_NAME) === this.active) CSS.highlights.delete(ACTIVE_NAME);
      }
      this.nearby.stop();
      this.groups = null;
      this.wanted = [];
      this.underlined = null;
      this.drawn = new Map();
      this.byNode = new Map();
    }

    /** The registered occurrence a range belongs to (used by highlightsFromPoint). */
    occurrenceOfRange(range) {
      return this.byRange.get(range) || null;
    }

    /** Drawn occurrences that cover a text node (used by caret-based hit testing). */
    occurrencesInNode(node) {
      return this.byNode.get(node) || [];
    }

    /** How many occurrences are underlined. */
    get count() {
      return this.highlight ? this.highlight.size : 0;
    }
  }

  ns.painter = Object.freeze({ Painter, NAME, ACTIVE_NAME, QUIET_NAME, WINDOW_ABOVE, supported });
})();
