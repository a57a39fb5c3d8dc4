/*
 * The character tables of a compiled glossary (GET /v1/compiled, "tables"), decoded for fast
 * lookups: which code points are word characters, which attach to the character before them,
 * which the server's Unicode version assigns at all, Python's case folding and the
 * one-character replacements of the normalization.  The format is described in the README
 * ("Local matching").
 *
 * A classic script, so it loads alike in a worker (importScripts), a page (<script>) and Node
 * (require).
 */
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.termlightTables = api;
})(globalThis, function () {
  'use strict';

  const WORD = 1;
  const ATTACH = 2;
  const ASSIGNED = 4;
  const BMP = 0x10000;

  /** [gap, length, gap, length, ...] -> sorted bounds [start0, end0, start1, end1, ...]. */
  function decodeRanges(list) {
    const bounds = new Int32Array(list.length);
    let at = 0;
    for (let i = 0; i < list.length; i += 2) {
      at += list[i];
      bounds[i] = at;
      at += list[i + 1];
      bounds[i + 1] = at;
    }
    return bounds;
  }

  /** Whether cp lies in one of the ranges: an odd number of bounds at or below it. */
  function inRanges(bounds, cp) {
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bounds[mid] <= cp) lo = mid + 1;
      else hi = mid;
    }
    return (lo & 1) === 1;
  }

  function toCodePointMap(object) {
    const map = new Map();
    for (const key of Object.keys(object)) map.set(Number(key), object[key]);
    return map;
  }

  /**
   * @param {object} tables the "tables" member of a compiled glossary
   * @returns {{isWord(cp:number):boolean, attaches(cp:number):boolean,
   *   assigned(cp:number):boolean, casefold:Map<number,string>, replace:Map<number,string>,
   *   maxCluster:number, unicodeVersion:string}}
   */
  function loadTables(tables) {
    const word = decodeRanges(tables.word);
    const attach = decodeRanges(tables.attach);
    const assigned = decodeRanges(tables.assigned);
    // The BMP as one byte per code point (64 KiB): nearly every character a page holds.
    const flags = new Uint8Array(BMP);
    const fill = (bounds, bit) => {
      for (let i = 0; i < bounds.length && bounds[i] < BMP; i += 2) {
        const stop = Math.min(bounds[i + 1], BMP);
        for (let cp = bounds[i]; cp < stop; cp++) flags[cp] |= bit;
      }
    };
    fill(word, WORD);
    fill(attach, ATTACH);
    fill(assigned, ASSIGNED);
    return {
      unicodeVersion: String(tables.unicode_version),
      maxCluster: tables.max_cluster,
      casefold: toCodePointMap(tables.casefold),
      bmpFlags: flags,
      WORD,
      replace: toCodePointMap(tables.replace),
      isWord: (cp) => (cp < BMP ? (flags[cp] & WORD) !== 0 : inRanges(word, cp)),
      attaches: (cp) => (cp < BMP ? (flags[cp] & ATTACH) !== 0 : inRanges(attach, cp)),
      // Lone surrogates count as assigned (category Cs), as they would in Python.
      assigned: (cp) => (cp < BMP ? (flags[cp] & ASSIGNED) !== 0 || (cp >= 0xd800 && cp < 0xe000)
        : inRanges(assigned, cp)),
    };
  }

  return { loadTables, decodeRanges, inRanges };
});
