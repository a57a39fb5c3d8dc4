/*
 * The local matcher: a compiled glossary (GET /v1/compiled) in, the same matches as
 * POST /v1/match out, in UTF-16 offsets (README, "Local matching").
 *
 * Every key is a normalized form; the keys are kept sorted, and a walk down the sorted list
 * (narrowed by one binary search per character) finds every key that starts at a position of
 * the normalized text.  Only positions where a match may begin are tried: a word character
 * right after another one can never start a match (the whole-word rule).  Each hit is judged
 * on its own (the end of the whole-word rule, a span that would split a character of the
 * original, the case rule, the glossary filter), then the leftmost-longest valid hits are
 * picked without overlaps, exactly as the server's termlight.engine.selection does.
 * Then, over all the texts of one call (matchAll: the blocks of a page, like one POST /v1/match),
 * the server's termlight.engine.context rules: picks of excluded forms are dropped, and a pick of
 * an ambiguous form counts only when the texts hold at least `context_min` different terms of
 * its glossary found through forms that are not ambiguous (README, "How matching works", 8-10).
 */
(function (root, factory) {
  const node = typeof module === 'object' && module.exports;
  const api = node
    ? factory(require('./tables.js'), require('./normalize.js'), require('./context.js'))
    : factory(root.termlightTables, root.termlightNormalize, root.termlightContext);
  if (node) module.exports = api;
  else root.termlightMatcher = api;
})(globalThis, function (tablesApi, normalizeApi, contextApi) {
  'use strict';

  const FORMAT = 'termlight-compiled';
  const FORMAT_VERSIONS = [1, 2];
  // HOW bits of a candidate (format 2), as the server's termlight.engine.keytable.
  const ALIAS = 1;
  const PLURAL = 2;
  const AMBIGUOUS = 4;
  const EXCLUDED = 8;

  /** The `why` of a match from its HOW bits (the server's termlight.engine.context.WHY). */
  function why(how, context) {
    let out = how & ALIAS ? 'alias' : 'term';
    if (how & PLURAL) out += ' plural';
    if (how & AMBIGUOUS) out += context ? ' context' : ' ambiguous';
    return out;
  }
  const { normalize, normalizeForm } = normalizeApi;
  const ASCII_ALNUM = /^[A-Za-z0-9]+$/;

  class FormatError extends Error {}

  /** A compiled glossary, ready to match text. */
  class LocalMatcher {
    /** @param {object} doc the parsed body of GET /v1/compiled */
    constructor(doc) {
      if (!doc || doc.format !== FORMAT || !FORMAT_VERSIONS.includes(doc.format_version)) {
        throw new FormatError(`not a compiled glossary this matcher reads (format ${doc && doc.format}, `
          + `version ${doc && doc.format_version}; reads ${FORMAT_VERSIONS.join(', ')})`);
      }
      this.version = doc.glossary_version;
      this.glossaries = doc.glossaries;
      this.terms = doc.terms;
      this.names = doc.names || [];
      this.tables = tablesApi.loadTables(doc.tables);
      this._foldCache = new Map();
      this._keepCache = new Map();
      const entries = doc.keys.slice().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.keys = entries.map((e) => e[0]);
      // Format 2 candidates: [term, glossary, rank, how, cased?]; format 1 ones,
      // [term, glossary, plural, cased?], read as rank = plural and no HOW bits.
      this.cands = entries.map((e) => e.slice(1).map((c) => (doc.format_version >= 2 ? c
        : [c[0], c[1], c[2], c[2] ? PLURAL : 0, ...c.slice(3)])));
      this.contextMin = doc.context_min || 0;
      // The range [firstLo, firstHi) of keys by first code unit: the walk starts there.
      this.firstLo = new Int32Array(0x10000);
      this.firstHi = new Int32Array(0x10000);
      for (let k = this.keys.length - 1; k >= 0; k--) {
        const c = this.keys[k].charCodeAt(0);
        if (this.firstHi[c] === 0) this.firstHi[c] = k + 1;
        this.firstLo[c] = k;
      }
    }

    /** The display name of a term id (the id itself when the glossary has none). */
    nameOf(termId) {
      if (!this._index) this._index = new Map(this.terms.map((id, i) => [id, i]));
      const i = this._index.get(termId);
      return (i !== undefined && this.names[i]) || termId;
    }

    /**
     * The matches of one text, the context rule applied within it (Glossary.match).
     * @param {string} text
     * @param {{glossaries?: string[]|null, context?: boolean}} [options] only terms of these
     *   glossaries; context: false lets ambiguous forms count without context
     * @returns {{start:number, end:number, term_id:string, text:string, why:string, alternatives?:string[]}[]}
     */
    match(text, options) {
      return this.matchAll([text], options)[0];
    }

    /**
     * The matches of several texts that belong together (a page's blocks), the context rule
     * applied across all of them, as POST /v1/match answers `texts`: one list per text.
     */
    matchAll(texts, options) {
      const context = !(options && options.context === false);
      const glossaryOf = new Map(); // term id -> glossary id, of the terms picked
      const lists = texts.map((text) => this._picks(text, options).filter((m) => !(m.how & EXCLUDED)).map((m) => {
        const out = { start: m.start, end: m.end, term_id: this.terms[m.termIndex], text: m.text, why: why(m.how, false) };
        if (m.alts.length) out.alternatives = m.alts.map((i) => this.terms[i]);
        glossaryOf.set(out.term_id, this.glossaries[m.glossary]);
        return out;
      }));
      return context ? contextApi.applyContextRule(lists, (id) => glossaryOf.get(id), this.contextMin, (options && options.known) || []) : lists;
    }

    /** The glossary id of a term id (from its candidates), or '' for an unknown id. */
    glossaryOf(termId) {
      if (!this._glossaryOf) {
        this._glossaryOf = new Map();
        for (const cands of this.cands) for (const c of cands) this._glossaryOf.set(this.terms[c[0]], this.glossaries[c[1]]);
      }
      return this._glossaryOf.get(termId) || '';
    }

    /** The matcher's picks in one text, excluded forms among them (see matchAll). */
    _picks(text, options) {
      const allowed = options && options.glossaries ? new Set(options.glossaries) : null;
      const norm = normalize(text, true, this.tables, this._foldCache);
      const ntext = norm.text;
      const n = ntext.length;
      const word = this._wordFlags(ntext);
      const inside = norm.insidePositions();
      const splits = inside.size > 0;
      const picks = [];
      const { firstLo, firstHi } = this;
      let taken = 0; // end of the last pick: nothing may start before it
      let from = 0; // the start being walked (the loop's own counter stays out of the closure)
      let best = null;
      const found = (stop, k) => {
        if (stop < n && word[stop] && word[stop - 1]) return; // ends inside a word
        if (splits && inside.has(stop)) return;
        const choice = this._choose(k, text, norm, from, stop, allowed);
        if (choice) best = { stop, choice };
      };
      for (let p = 0; p < n; p++) {
        if (p > 0 && word[p] && word[p - 1]) continue; // inside a word: no match starts here
        const c = ntext.charCodeAt(p);
        if (firstHi[c] === 0 || p < taken || (splits && inside.has(p))) continue;
        best = null;
        from = p;
        this._walk(ntext, p, firstLo[c], firstHi[c], found);
        if (best) {
          picks.push([p, best.stop, best.choice]);
          taken = best.stop;
        }
      }
      return picks.map(([p, stop, [termIndex, alts, how, glossary]]) => {
        const start = norm.backPlain(p);
        const end = norm.backPlain(stop);
        return { start, end, termIndex, text: text.slice(start, end), alts, how, glossary };
      });
    }

    /** Calls found(stop, key index) for every key that starts at p, shortest first. */
    _walk(ntext, p, lo, hi, found) {
      const keys = this.keys;
      for (let d = 1; ; d++) {
        if (keys[lo].length === d) {
          found(p + d, lo);
          lo += 1;
          if (lo >= hi) return;
        }
        if (p + d >= ntext.length) return;
        const c = ntext.charCodeAt(p + d);
        let a = lo;
        let b = hi;
        while (a < b) {
          const mid = (a + b) >> 1;
          if (keys[mid].charCodeAt(d) < c) a = mid + 1;
          else b = mid;
        }
        lo = a;
        b = hi;
        while (a < b) {
          const mid = (a + b) >> 1;
          if (keys[mid].charCodeAt(d) <= c) a = mid + 1;
          else b = mid;
        }
        hi = a;
        if (lo >= hi) return;
      }
    }

    /** One flag per code unit of the normalized text: is it (part of) a word character? */
    _wordFlags(ntext) {
      const n = ntext.length;
      const flags = new Uint8Array(n);
      const { isWord, bmpFlags, WORD } = this.tables;
      for (let i = 0; i < n; i++) {
        const c = ntext.charCodeAt(i);
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
          const cp = ntext.codePointAt(i);
          if (cp > 0xffff) {
            if (isWord(cp)) flags[i] = flags[i + 1] = 1;
            i += 1;
            continue;
          }
        }
        flags[i] = bmpFlags[c] & WORD;
      }
      return flags;
    }

    /**
     * [term index, alternative term indexes, HOW bits, glossary index] for a hit of key k, or
     * null: the first candidate that passes wins; later ones of the same rank (a written form,
     * a generated plural, an excluded form) that pass are its alternatives (the server's
     * select.choose).
     */
    _choose(k, text, norm, p, stop, allowed) {
      let primary = null;
      let primaryRank = 0;
      let primaryHow = 0;
      let primaryGlossary = 0;
      const others = [];
      let original = null;
      for (const cand of this.cands[k]) {
        const [termIndex, glossaryIndex, rank, how, cased] = cand;
        if (allowed && !allowed.has(this.glossaries[glossaryIndex])) continue;
        if (cased !== undefined) {
          if (original === null) original = text.slice(norm.back(p, false), norm.back(stop, true));
          if (!this._sameCase(original, cased)) continue;
        }
        if (primary === null) {
          primary = termIndex;
          primaryRank = rank;
          primaryHow = how;
          primaryGlossary = glossaryIndex;
        } else if (rank !== primaryRank) {
          break; // a written form outranks every generated plural, and both an excluded form
        } else if (termIndex !== primary && !others.includes(termIndex)) {
          others.push(termIndex);
        }
      }
      return primary === null ? null : [primary, others, primaryHow, primaryGlossary];
    }

    _sameCase(original, cased) {
      if (original === cased) return true;
      if (ASCII_ALNUM.test(original)) return false;
      return normalizeForm(original, false, this.tables, this._keepCache) === cased;
    }
  }

  return { LocalMatcher, FormatError, FORMAT, FORMAT_VERSIONS };
});
