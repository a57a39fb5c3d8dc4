/*
 * Text normalization with an exact way back to the original offsets: the browser's copy of
 * the server's termlight.engine.normalize, rule for rule (README, "How matching works", 2).
 *
 * The text is cut into clusters (a character and the marks, zero-width characters and Hangul
 * vowels that follow it, at most max_cluster code points), and each cluster becomes
 * NFKC(casefold(NFKC(cluster))) with the one-character replacements applied (dashes and
 * whitespace to a space, curly quotes to straight ones, zero-width characters dropped).  Then
 * runs of spaces collapse to one.  Positions here are UTF-16 code units, of the original text
 * and of the normalized one.
 *
 * Where JavaScript and the server could disagree, the compiled tables decide: case folding is
 * Python's, and code points the server's Unicode version does not assign are kept as they are
 * (the browser's NFKC never sees them next to another character, so a newer Unicode in the
 * browser changes nothing).
 */
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.termlightNormalize = api;
})(globalThis, function () {
  'use strict';

  function unitsOf(cp) {
    return cp > 0xffff ? 2 : 1;
  }

  function bisectLeft(list, value) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function bisectRight(list, value) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** NFKC as the server's Unicode version sees it: unassigned code points stay inert. */
  function nfkc(str, tables) {
    let from = 0;
    let out = '';
    for (let i = 0; i < str.length;) {
      const cp = str.codePointAt(i);
      const size = unitsOf(cp);
      if (!tables.assigned(cp)) {
        out += str.slice(from, i).normalize('NFKC') + str.slice(i, i + size);
        from = i + size;
      }
      i += size;
    }
    return from === 0 ? str.normalize('NFKC') : out + str.slice(from).normalize('NFKC');
  }

  function mapEach(str, map) {
    let out = '';
    for (const ch of str) {
      const to = map.get(ch.codePointAt(0));
      out += to === undefined ? ch : to;
    }
    return out;
  }

  /** One cluster, normalized (the server's _fold_cluster). */
  function foldCluster(cluster, fold, tables) {
    let out = nfkc(cluster, tables);
    if (fold) out = nfkc(mapEach(out, tables.casefold), tables);
    return mapEach(out, tables.replace);
  }

  /** Segments of the normalized text before space runs collapse (the server's OffsetMap). */
  class OffsetMap {
    constructor() {
      this.t = [];
      this.s = [];
      this.linear = [];
    }

    add(t, s, linear) {
      const last = this.t.length - 1;
      if (last >= 0 && linear && this.linear[last] && t - this.t[last] === s - this.s[last]) return;
      this.t.push(t);
      this.s.push(s);
      this.linear.push(linear);
    }

    /** The source position of t; null inside an atomic segment.  See the server's back(). */
    back(t, end) {
      const ts = this.t;
      let i;
      if (end) {
        i = bisectLeft(ts, t);
        if (i < ts.length && ts[i] === t) return this.s[i];
        i -= 1;
      } else {
        i = bisectRight(ts, t) - 1;
        if (ts[i] === t) return this.s[i];
      }
      return this.linear[i] ? this.s[i] + (t - ts[i]) : null;
    }

    /** back() for a position that is not inside a segment, starts and ends alike. */
    backPlain(t) {
      const i = bisectRight(this.t, t) - 1;
      return this.s[i] + (t - this.t[i]);
    }
  }

  class Normalized {
    constructor(text, pieceMap, runs, lost) {
      this.text = text;
      this.pieceMap = pieceMap;
      this.runs = runs;
      this.lost = lost;
    }

    _uncollapse(pos) {
      return this.runs.length ? pos + this.lost[bisectLeft(this.runs, pos)] : pos;
    }

    /** The original position of a normalized one (see the server's Normalized.back). */
    back(pos, end) {
      return this.pieceMap.back(this._uncollapse(pos), end);
    }

    /** back() for span ends of picked matches (never inside a character). */
    backPlain(pos) {
      return this.pieceMap.backPlain(this._uncollapse(pos));
    }

    /** Positions inside one character of the original (within the expansion of ﬁ). */
    insidePositions() {
      const m = this.pieceMap;
      const inside = new Set();
      for (let i = 0; i + 1 < m.t.length; i++) {
        if (!m.linear[i]) for (let q = m.t[i] + 1; q < m.t[i + 1]; q++) inside.add(q);
      }
      if (!this.runs.length || !inside.size) return inside;
      const ends = this.runs.map((run, r) => run + this.lost[r + 1] + 1);
      const moved = new Set();
      for (const q of inside) moved.add(q - this.lost[bisectRight(ends, q)]);
      return moved;
    }
  }

  /**
   * How runs of ASCII are normalized in bulk, learned from the tables once: each ASCII
   * character must become itself (lower-cased when folding) or a space; the characters that
   * become a space form one character class.  null when the tables say otherwise (every
   * character then goes the general way).
   */
  function asciiPlan(tables, fold) {
    const key = fold ? '_asciiFold' : '_asciiKeep';
    if (tables[key] !== undefined) return tables[key];
    let spaces = '';
    let plan = { spaces: null };
    for (let c = 0; c < 0x80; c++) {
      const ch = String.fromCharCode(c);
      const out = foldCluster(ch, fold, tables);
      if (out === ' ' && ch !== ' ') spaces += `\\x${c.toString(16).padStart(2, '0')}`;
      else if (out !== (fold ? ch.toLowerCase() : ch)) plan = null;
    }
    if (plan && spaces) plan.spaces = new RegExp(`[${spaces}]`, 'g');
    tables[key] = plan;
    return plan;
  }

  const ASCII_RUN = /[\x00-\x7f]+/y;
  const UNKNOWN = 0;
  const SAME = 1; // normalizes to itself, alone, and never attaches: copied in runs
  const OTHER = 2;

  /** Per BMP code unit, whether it is SAME (learned as characters are met; see normalize). */
  function sameTable(tables, fold) {
    const key = fold ? '_sameFold' : '_sameKeep';
    if (!tables[key]) tables[key] = new Uint8Array(0x10000);
    return tables[key];
  }

  function classify(same, c, fold, tables) {
    let kind = same[c];
    if (kind === UNKNOWN) {
      const ch = String.fromCharCode(c);
      const surrogate = c >= 0xd800 && c < 0xe000;
      kind = !surrogate && !tables.attaches(c) && foldCluster(ch, fold, tables) === ch ? SAME : OTHER;
      same[c] = kind;
    }
    return kind;
  }

  /**
   * @param {string} text
   * @param {boolean} fold case-fold (true for matching; false to compare case)
   * @param {object} tables from termlightTables.loadTables
   * @param {Map<number,string>} [cache] single-code-point results, kept by the caller
   * @returns {Normalized}
   */
  function normalize(text, fold, tables, cache) {
    const singles = cache || new Map();
    const map = new OffsetMap();
    const pieces = [];
    const max = tables.maxCluster;
    const n = text.length;
    const plan = asciiPlan(tables, fold);
    const same = sameTable(tables, fold);
    let t = 0;
    let i = 0;
    while (i < n) {
      if (plan && text.charCodeAt(i) < 0x80) {
        // A run of ASCII in bulk, but for its last character when marks follow it (those
        // belong to its cluster).
        ASCII_RUN.lastIndex = i;
        ASCII_RUN.test(text);
        let stop = ASCII_RUN.lastIndex;
        if (stop < n && tables.attaches(text.codePointAt(stop))) stop -= 1;
        if (stop > i) {
          let run = text.slice(i, stop);
          if (fold) run = run.toLowerCase();
          if (plan.spaces) run = run.replace(plan.spaces, ' ');
          map.add(t, i, true);
          pieces.push(run);
          t += stop - i;
          i = stop;
          continue;
        }
      }
      if (text.charCodeAt(i) >= 0x80 && classify(same, text.charCodeAt(i), fold, tables) === SAME) {
        // A run of characters that stay themselves (most of a CJK or Cyrillic text) in one piece,
        // but for its last one when marks follow it.
        let stop = i + 1;
        while (stop < n) {
          const c = text.charCodeAt(stop);
          if (c < 0x80 || classify(same, c, fold, tables) !== SAME) break;
          stop += 1;
        }
        if (stop < n && tables.attaches(text.codePointAt(stop))) stop -= 1;
        if (stop > i) {
          map.add(t, i, true);
          pieces.push(text.slice(i, stop));
          t += stop - i;
          i = stop;
          continue;
        }
      }
      const start = i;
      const cp = text.codePointAt(i);
      i += unitsOf(cp);
      let count = 1;
      while (i < n && count < max) {
        const next = text.codePointAt(i);
        if (!tables.attaches(next)) break;
        i += unitsOf(next);
        count += 1;
      }
      let norm;
      if (count === 1) {
        norm = singles.get(cp);
        if (norm === undefined) {
          norm = foldCluster(text.slice(start, i), fold, tables);
          singles.set(cp, norm);
        }
      } else {
        norm = foldCluster(text.slice(start, i), fold, tables);
      }
      const linear = count === 1 && norm.length === i - start && (norm.length === 1 || norm.codePointAt(0) > 0xffff);
      map.add(t, start, linear);
      pieces.push(norm);
      t += norm.length;
    }
    map.add(t, n, true);
    const pre = pieces.join('');
    const runs = [];
    const lost = [0];
    if (pre.indexOf('  ') < 0) return new Normalized(pre, map, runs, lost);
    // Keep the first space of every run of spaces.
    const kept = [];
    let from = 0;
    let total = 0;
    const spaceRun = / {2,}/g;
    for (let m = spaceRun.exec(pre); m; m = spaceRun.exec(pre)) {
      const first = m.index;
      const last = first + m[0].length;
      kept.push(pre.slice(from, first + 1));
      from = last;
      runs.push(first - total);
      total += last - first - 1;
      lost.push(total);
    }
    kept.push(pre.slice(from));
    return new Normalized(kept.join(''), map, runs, lost);
  }

  /** A string as the server's normalize_form sees it: normalized, without outer spaces. */
  function normalizeForm(text, fold, tables, cache) {
    return normalize(text, fold, tables, cache).text.replace(/^ +| +$/g, '');
  }

  return { normalize, normalizeForm, foldCluster, bisectLeft, bisectRight };
});
