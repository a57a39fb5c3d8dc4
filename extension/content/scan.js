/*
 * The scan pipeline: read segments, ask the background worker for matches in a few batches,
 * place the answers and redraw.
 *
 * Long pages must not freeze the tab, so both reading and placing run in slices of a few
 * milliseconds with a yield to the event loop in between (no task of ours should come near
 * 50 ms). The first batch is small so the top of the page lights up quickly; later ones are
 * large so a long article still takes only a few requests.
 *
 * When the server cannot be reached or answers with an error, nothing on the page changes,
 * the background worker has already put the reason on the badge, and the scan is tried again
 * later with a growing delay.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});
  const { segments, segmentIntact } = ns.blockReader;
  const { ToWorker, ErrorKind, failure } = globalThis.termlightProtocol;

  const SLICE_MS = 8;
  const FIRST_BATCH_CHARS = 20000;
  const BATCH_CHARS = 200000;
  const BATCH_TEXTS = 1500;
  const RETRY_FIRST_MS = 2000;
  const RETRY_MAX_MS = 60000;

  /** Let the page run: scheduler.yield() where it exists (keeps our place in line), else a task. */
  function pause() {
    const s = globalThis.scheduler;
    if (s && typeof s.yield === 'function') return s.yield();
    return new Promise((resolve) => setTimeout(resolve, 0));
  }

  class Scanner {
    /**
     * @param {object} deps - store, painter, send(msg) -> Promise<answer>, options() -> {host, skipCode,
     *   editors}, occurrences() -> 'first' | 'every', onUpdate({count, error}) called after every
     *   redraw or failure.
     */
    constructor(deps) {
      Object.assign(this, deps);
      this.generation = 0;
      this.changes = 0;
      this.retryTimer = null;
      this.retryDelay = RETRY_FIRST_MS;
      this.fullRunning = false;
      this.fullAgain = false;
      this.lastError = null;
    }

    /** Stop everything in flight; answers that arrive later are ignored. */
    stop() {
      this.generation++;
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.fullRunning = false;
      this.fullAgain = false;
    }

    /** Called by the observer for every DOM change, so late answers know to re-check their text. */
    noteChange() {
      this.changes++;
    }

    redraw() {
      const all = this.store.all();
      const mode = this.occurrences();
      this.painter.sync(all, mode === 'every' ? null : new Set(this.store.visible(mode)));
      this.onUpdate({ count: this.store.termCount(), error: this.lastError });
    }

    /** Read the whole body. Answers are drawn as each batch arrives. */
    async full() {
      if (this.fullRunning) {
        this.fullAgain = true;
        return;
      }
      this.fullRunning = true;
      const gen = this.generation;
      try {
        do {
          this.fullAgain = false;
          if (!document.body) return;
          await this.run([document.body], true, gen);
        } while (this.fullAgain && gen === this.generation);
      } finally {
        if (gen === this.generation) this.fullRunning = false;
      }
    }

    /** Read some changed blocks again; their old occurrences are replaced once all answers are in. */
    async rescan(roots) {
      if (roots.length) await this.run(roots, false, this.generation);
    }

    async run(roots, progressive, gen) {
      const opts = this.options();
      const changesAtStart = this.changes;
      const inFlight = [];
      let batch = [];
      let chars = 0;
      let limit = progressive ? FIRST_BATCH_CHARS : BATCH_CHARS;
      let sliceStart = performance.now();

      const ship = () => {
        const segs = batch;
        batch = [];
        chars = 0;
        limit = BATCH_CHARS;
        const answer = this.send({ type: ToWorker.MATCH, texts: segs.map((s) => s.text), known: this.store.knownContext() });
        inFlight.push(
          answer.then(async (reply) => {
            if (progressive && gen === this.generation && !(reply && reply.error)) {
              await this.apply(segs, reply, changesAtStart, gen);
            }
            return { segs, reply };
          }),
        );
      };

      for (const root of roots) {
        if (!root.isConnected) continue;
        for (const seg of segments(root, opts)) {
          if (performance.now() - sliceStart > SLICE_MS) {
            await pause();
            if (gen !== this.generation) return;
            sliceStart = performance.now();
          }
          if (!seg) continue;
          batch.push(seg);
          chars += seg.text.length;
          if (chars >= limit || batch.length >= BATCH_TEXTS) ship();
        }
      }
      if (batch.length) ship();

      const outcomes = await Promise.all(inFlight);
      if (gen !== this.generation) return;
      const failed = outcomes.find((o) => !o.reply || o.reply.error);
      if (failed) {
        this.fail((failed.reply && failed.reply.error) || failure(ErrorKind.UNREACHABLE, 'no answer').error);
        return;
      }
      if (!progressive) {
        for (const root of roots) this.store.removeWithin(root);
        for (const o of outcomes) await this.apply(o.segs, o.reply, changesAtStart, gen, true);
        if (gen !== this.generation) return;
        this.redraw();
      }
      this.succeed();
    }

    /** Place one batch's answers, a slice at a time; a segment the page changed meanwhile is skipped. */
    async apply(segs, reply, changesAtStart, gen, quiet = false) {
      this.store.addTerms(reply.terms);
      this.store.addGlossaries(reply.glossaries);
      const results = reply.results || [];
      let sliceStart = performance.now();
      for (let i = 0; i < segs.length; i++) {
        if (performance.now() - sliceStart > SLICE_MS) {
          await pause();
          if (gen !== this.generation) return;
          sliceStart = performance.now();
        }
        const matches = results[i];
        if (!Array.isArray(matches) || !matches.length) continue;
        const seg = segs[i];
        if (this.changes !== changesAtStart && !segmentIntact(seg)) continue;
        this.store.addMatches(seg, matches);
      }
      if (!quiet) this.redraw();
    }

    succeed() {
      this.retryDelay = RETRY_FIRST_MS;
      if (this.lastError) {
        this.lastError = null;
        this.redraw();
      }
    }

    /** Leave the page as it is, report once, and try the whole page again later. */
    fail(error) {
      this.lastError = error;
      this.onUpdate({ count: this.store.termCount(), error });
      if (this.retryTimer) return;
      const gen = this.generation;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (gen === this.generation) this.full();
      }, this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    }
  }

  ns.scan = Object.freeze({ Scanner, pause });
})();
