/*
 * Hover: find the highlighted term under the pointer and open the popover after a short
 * delay; close it after a grace period once the pointer leaves, so the pointer can travel
 * onto the card. The timings follow what Wikipedia measured for its Page Previews: about
 * 500 ms before showing (no flashing cards while the mouse just passes by) and 300 ms of grace.
 *
 * Hit testing asks CSS.highlights.highlightsFromPoint where the browser has it; elsewhere it
 * finds the text position under the pointer (caretPositionFromPoint / caretRangeFromPoint)
 * and checks the boxes of the occurrences in that text node.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});
  const { liveRange } = ns.store;
  const { trusted } = ns.ui;

  const SHOW_DELAY_MS = 500;
  const HIDE_GRACE_MS = 300;

  function inside(rect, x, y) {
    return x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom;
  }

  /** The drawn occurrence at viewport point (x, y), or null. */
  function hitTest(painter, x, y) {
    const registry = typeof CSS !== 'undefined' ? CSS.highlights : null;
    if (registry && typeof registry.highlightsFromPoint === 'function' && painter.highlight) {
      try {
        for (const hit of registry.highlightsFromPoint(x, y)) {
          if (hit.highlight !== painter.highlight && hit.highlight !== painter.quiet) continue;
          for (const range of hit.ranges) {
            const occ = painter.occurrenceOfRange(range);
            if (occ) return occ;
          }
        }
        return null;
      } catch {
        // fall through to the caret-based test
      }
    }
    let node = null;
    if (typeof document.caretPositionFromPoint === 'function') {
      const pos = document.caretPositionFromPoint(x, y);
      node = pos && pos.offsetNode;
    } else if (typeof document.caretRangeFromPoint === 'function') {
      const range = document.caretRangeFromPoint(x, y);
      node = range && range.startContainer;
    }
    if (!node || node.nodeType !== Node.TEXT_NODE) return null;
    for (const occ of painter.occurrencesInNode(node)) {
      const range = liveRange(occ);
      if (range && [...range.getClientRects()].some((r) => inside(r, x, y))) return occ;
    }
    return null;
  }

  class HoverWatcher {
    /** @param {object} deps - painter, popover, host() -> our UI element or null */
    constructor(deps) {
      Object.assign(this, deps);
      this.x = 0;
      this.y = 0;
      this.overUi = false;
      this.frame = 0;
      this.candidate = null;
      this.showTimer = null;
      this.hideTimer = null;
      this.onMove = this.onMove.bind(this);
      this.onOut = this.onOut.bind(this);
      this.onScroll = this.onScroll.bind(this);
      this.onKey = this.onKey.bind(this);
    }

    /** Watch the pointer until `signal` aborts; then every listener, frame and timer goes. */
    start(signal) {
      const passive = { capture: true, passive: true, signal };
      document.addEventListener('pointermove', this.onMove, passive);
      document.addEventListener('pointerout', this.onOut, passive);
      window.addEventListener('scroll', this.onScroll, passive);
      document.addEventListener('keydown', this.onKey, { capture: true, signal });
      signal.addEventListener('abort', () => this.settle(), { once: true });
    }

    /** After the listeners are gone: nothing pending may fire, and no card stays open. */
    settle() {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.cancelShow();
      this.cancelHide();
      this.popover.hide();
    }

    onMove(e) {
      if (!trusted(e) || e.pointerType === 'touch') return;
      this.x = e.clientX;
      this.y = e.clientY;
      this.overUi = this.popover.containsEvent(e, this.host());
      if (!this.frame) this.frame = requestAnimationFrame(() => this.check());
    }

    /** The pointer left the window: treat it like leaving the term. */
    onOut(e) {
      if (!trusted(e) || e.relatedTarget) return;
      this.candidate = null;
      this.cancelShow();
      this.scheduleHide();
    }

    onScroll(e) {
      if (trusted(e) && this.popover.isOpen && !this.popover.containsEvent(e, this.host())) {
        this.cancelShow();
        this.popover.hide();
      }
    }

    onKey(e) {
      if (trusted(e) && e.key === 'Escape' && this.popover.isOpen) {
        this.cancelShow();
        this.popover.hide();
      }
    }

    check() {
      this.frame = 0;
      if (this.overUi) {
        this.cancelShow();
        this.cancelHide();
        return;
      }
      const occ = hitTest(this.painter, this.x, this.y);
      if (occ && this.popover.isOpen && this.popover.occ === occ) {
        this.candidate = occ;
        this.cancelShow();
        this.cancelHide();
        return;
      }
      if (occ) {
        if (occ !== this.candidate) {
          this.candidate = occ;
          this.cancelShow();
          const point = { x: this.x, y: this.y };
          this.showTimer = setTimeout(() => {
            this.showTimer = null;
            if (this.candidate !== occ) return;
            this.cancelHide();
            if (!this.popover.show(occ, point)) this.popover.hide();
          }, SHOW_DELAY_MS);
        }
        return;
      }
      this.candidate = null;
      this.cancelShow();
      this.scheduleHide();
    }

    scheduleHide() {
      if (!this.popover.isOpen || this.hideTimer) return;
      this.hideTimer = setTimeout(() => {
        this.hideTimer = null;
        this.popover.hide();
      }, HIDE_GRACE_MS);
    }

    cancelShow() {
      clearTimeout(this.showTimer);
      this.showTimer = null;
    }

    cancelHide() {
      clearTimeout(this.hideTimer);
      this.hideTimer = null;
    }
  }

  ns.hover = Object.freeze({ HoverWatcher, hitTest, SHOW_DELAY_MS, HIDE_GRACE_MS });
})();
