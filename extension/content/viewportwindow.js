/*
 * Which blocks are near the viewport, for pages too long to draw at once (see painter.js).
 *
 * Block positions are measured once per change of the block set (and again after a resize, a
 * layout change of the document or a scroll inside a nested scroller), kept sorted by their
 * top edge in page coordinates, and searched on each scroll frame: a binary search over the
 * running maximum of bottom edges finds the first block that reaches the window, so a scroll
 * frame costs a few comparisons however many blocks the page has. (An IntersectionObserver
 * watching every block cost about 20 ms per scrolled frame with 10,000 blocks.)
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});

  /** How far beyond the viewport, in viewport heights, blocks still count as near. */
  const MARGIN_SCREENS = 1.5;

  class ViewportWindow {
    /** @param {function(): void} onChange - called (at most once per frame) when the near set changed. */
    constructor(onChange) {
      this.onChange = onChange;
      this.owners = [];
      this.tops = [];
      this.bottoms = [];
      this.maxBottom = [];
      this.sorted = [];
      this.near = new Set();
      this.stale = true;
      this.frame = 0;
      this.listening = false;
      this.resizeObserver = null;
      this.onScroll = this.onScroll.bind(this);
      this.onResize = this.onResize.bind(this);
    }

    /** The blocks to choose from; measuring waits until the next update. */
    setOwners(owners) {
      const same = owners.length === this.owners.length && owners.every((o, i) => o === this.owners[i]);
      if (!same) {
        this.owners = owners;
        this.stale = true;
      }
      this.listen();
      this.update();
    }

    listen() {
      if (this.listening) return;
      this.listening = true;
      window.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
      window.addEventListener('resize', this.onResize, { passive: true });
      if (typeof ResizeObserver === 'function' && document.body) {
        // The body changing size means content moved (images loaded, sections expanded).
        this.resizeObserver = new ResizeObserver(() => this.onResize());
        this.resizeObserver.observe(document.body);
      }
    }

    stop() {
      if (this.listening) {
        window.removeEventListener('scroll', this.onScroll, { capture: true });
        window.removeEventListener('resize', this.onResize);
        if (this.resizeObserver) this.resizeObserver.disconnect();
        this.resizeObserver = null;
        this.listening = false;
      }
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.owners = [];
      this.sorted = [];
      this.near = new Set();
      this.stale = true;
    }

    onScroll(e) {
      // A nested scroller moves its content relative to the page: positions must be re-measured.
      if (e.target !== document && e.target !== document.documentElement && e.target !== document.body) this.stale = true;
      this.schedule();
    }

    onResize() {
      this.stale = true;
      this.schedule();
    }

    schedule() {
      if (this.frame) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.update();
      });
    }

    measure() {
      const sy = window.scrollY;
      const rows = [];
      for (const owner of this.owners) {
        if (!owner.isConnected) continue;
        const r = owner.getBoundingClientRect();
        rows.push({ owner, top: r.top + sy, bottom: r.bottom + sy });
      }
      rows.sort((a, b) => a.top - b.top);
      this.sorted = rows.map((row) => row.owner);
      this.tops = rows.map((row) => row.top);
      this.bottoms = rows.map((row) => row.bottom);
      this.maxBottom = [];
      let max = -Infinity;
      for (const b of this.bottoms) {
        max = Math.max(max, b);
        this.maxBottom.push(max);
      }
      this.stale = false;
    }

    /** Recompute the near set; tell the painter only when it changed. */
    update() {
      if (this.stale) this.measure();
      const vh = window.innerHeight || document.documentElement.clientHeight;
      const from = window.scrollY - MARGIN_SCREENS * vh;
      const to = window.scrollY + vh + MARGIN_SCREENS * vh;
      // First block whose bottom (or any earlier block's bottom) reaches the window.
      let lo = 0;
      let hi = this.maxBottom.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.maxBottom[mid] < from) lo = mid + 1;
        else hi = mid;
      }
      const next = new Set();
      for (let i = lo; i < this.tops.length && this.tops[i] <= to; i++) {
        if (this.bottoms[i] >= from) next.add(this.sorted[i]);
      }
      const changed = next.size !== this.near.size || [...next].some((o) => !this.near.has(o));
      this.near = next;
      if (changed) this.onChange();
    }

    has(owner) {
      return this.near.has(owner);
    }
  }

  ns.viewportWindow = Object.freeze({ ViewportWindow, MARGIN_SCREENS });
})();
