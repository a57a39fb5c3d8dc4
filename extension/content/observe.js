/*
 * Keeping up with a living page: a MutationObserver notes which parts changed, and after a
 * short quiet spell (or at most a second of constant change) the changed blocks are read
 * again. This covers text that a script replaces, infinite scroll, and SPA navigation, which
 * is only a large DOM change from where we stand.
 *
 * The callback itself only records nodes; the style lookups needed to find the affected
 * blocks happen later in one go, so a page that mutates a lot does not pay for them each time.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});
  const { rescanRootOf } = ns.collect;

  const QUIET_MS = 200;
  const MAX_WAIT_MS = 1000;

  class PageObserver {
    /**
     * @param {object} deps - scanner, store, host() -> our UI element or null,
     *   options() -> collect options, onNavigate() called when the URL changed.
     */
    constructor(deps) {
      Object.assign(this, deps);
      this.pending = new Set();
      this.timer = null;
      this.firstPending = 0;
      this.url = location.href;
      this.bodyAtStart = null;
      this.observer = new MutationObserver((records) => this.record(records));
    }

    start() {
      this.bodyAtStart = document.body;
      this.url = location.href;
      this.observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    }

    stop() {
      this.observer.disconnect();
      clearTimeout(this.timer);
      this.timer = null;
      this.pending.clear();
    }

    record(records) {
      const host = this.host();
      let relevant = false;
      for (const r of records) {
        if (host && (r.target === host || host.contains(r.target))) continue;
        if (r.type === 'characterData') {
          this.pending.add(r.target);
          relevant = true;
          continue;
        }
        let ours = true;
        for (const n of r.addedNodes) {
          if (n === host) continue;
          ours = false;
          this.pending.add(n);
        }
        if (r.removedNodes.length) {
          for (const n of r.removedNodes) if (n !== host) ours = false;
          this.pending.add(r.target);
        }
        if (!ours) relevant = true;
      }
      if (!relevant) return;
      this.scanner.noteChange();
      this.schedule();
    }

    schedule() {
      const now = performance.now();
      if (!this.timer) this.firstPending = now;
      clearTimeout(this.timer);
      const wait = Math.max(0, Math.min(QUIET_MS, this.firstPending + MAX_WAIT_MS - now));
      this.timer = setTimeout(() => this.flush(), wait);
    }

    /** Turn the recorded nodes into the smallest set of blocks to read again, and read them. */
    flush() {
      this.timer = null;
      const nodes = [...this.pending];
      this.pending.clear();

      const pruned = this.store.prune();
      if (document.body !== this.bodyAtStart || location.href !== this.url) {
        const bodyChanged = document.body !== this.bodyAtStart;
        this.bodyAtStart = document.body;
        this.url = location.href;
        this.onNavigate(bodyChanged);
        if (bodyChanged) return; // a new body is read from scratch
      }

      const opts = this.options();
      const roots = new Set();
      for (const n of nodes) {
        const root = n.isConnected ? rescanRootOf(n, opts) : null;
        if (root) roots.add(root);
      }
      // Reading an outer block also reads everything inside it.
      const list = [...roots].filter((r) => {
        for (let p = r.parentElement; p; p = p.parentElement) if (roots.has(p)) return false;
        return true;
      });
      if (pruned) this.scanner.redraw();
      this.scanner.rescan(list);
    }
  }

  ns.observe = Object.freeze({ PageObserver });
})();
