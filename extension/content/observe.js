/*
 * Keeping up with a living page: a MutationObserver notes which parts changed, and after a
 * short quiet spell (or at most a second of constant change) the changed blocks are read
 * again. This covers text that a script replaces, infinite scroll, and SPA navigation, which
 * is only a large DOM change from where we stand.
 *
 * The callback itself only records nodes; the style lookups needed to find the affected
 * blocks happen later in one go, so a page that mutates a lot does not pay for them each time.
 *
 * A block that keeps changing (a ticker, a clock, a page rewriting itself to make us upload)
 * is read again at most once per back-off period: after CHURN_FREE changes within CHURN_WINDOW_MS
 * its period doubles from one second up to a minute, and it goes back to normal once the block
 * has been quiet for a while. Together with the worker's per-tab upload budget this bounds what
 * a page can make termlight send.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});
  const { rescanRootOf } = ns.blockReader;

  const QUIET_MS = 200;
  const MAX_WAIT_MS = 1000;
  const CHURN_FREE = 3;
  const CHURN_WINDOW_MS = 10_000;
  const BACKOFF_FIRST_MS = 1000;
  const BACKOFF_MAX_MS = 60_000;

  /** Per block: how often it was read again lately, and when it may be read next. */
  class Churn {
    constructor() {
      this.state = new WeakMap();
    }

    /** Note a rescan of `root` now; returns the time before which it must not be read again. */
    note(root, now) {
      let st = this.state.get(root);
      if (!st || now - st.last > CHURN_WINDOW_MS + st.period) st = { count: 0, last: now, period: 0 };
      st.count++;
      st.last = now;
      if (st.count > CHURN_FREE) st.period = Math.min(BACKOFF_MAX_MS, st.period ? st.period * 2 : BACKOFF_FIRST_MS);
      this.state.set(root, st);
      return now + st.period;
    }

    /** When `root` may be read next (0: now). */
    notBefore(root) {
      const st = this.state.get(root);
      return st ? st.last + st.period : 0;
    }
  }

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
      this.churn = new Churn();
      this.deferred = new Set();
      this.deferTimer = null;
      this.observer = new MutationObserver((records) => this.record(records));
    }

    /** Watch the page until `signal` aborts; then the observer is disconnected and its timers cleared. */
    start(signal) {
      this.bodyAtStart = document.body;
      this.url = location.href;
      this.observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
      signal.addEventListener('abort', () => this.settle(), { once: true });
    }

    settle() {
      this.observer.disconnect();
      clearTimeout(this.timer);
      this.timer = null;
      this.pending.clear();
      clearTimeout(this.deferTimer);
      this.deferTimer = null;
      this.deferred.clear();
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
      const outer = [...roots].filter((r) => {
        for (let p = r.parentElement; p; p = p.parentElement) if (roots.has(p)) return false;
        return true;
      });
      if (pruned) this.scanner.redraw();
      this.scanner.rescan(this.throttle(outer));
    }

    /** The blocks that may be read now; the others wait for their back-off period to end. */
    throttle(roots) {
      const now = performance.now();
      const ready = [];
      for (const root of roots) {
        if (this.churn.notBefore(root) > now) {
          this.deferred.add(root);
          continue;
        }
        this.deferred.delete(root);
        this.churn.note(root, now);
        ready.push(root);
      }
      if (this.deferred.size && !this.deferTimer) {
        const next = Math.min(...[...this.deferred].map((r) => this.churn.notBefore(r)));
        this.deferTimer = setTimeout(() => {
          this.deferTimer = null;
          const due = [...this.deferred].filter((r) => r.isConnected);
          this.deferred.clear();
          this.scanner.rescan(this.throttle(due));
        }, Math.max(0, next - now));
      }
      return ready;
    }
  }

  ns.observe = Object.freeze({ PageObserver });
})();
