/*
 * The match cache: remembers the server's answer for each text so the same paragraph is never
 * sent twice, whether it comes back after a DOM change, on another tab or on a reload.
 *
 * Keys are a 64-bit hash plus the length rather than the text itself, so the worker does not
 * keep a second copy of every page it has seen. A collision would only hand back matches for a
 * different text; the content script checks every match against its own text before using it,
 * so such an answer is dropped rather than drawn in the wrong place.
 */
(() => {
  'use strict';

  /** Two independent 32-bit FNV-1a style hashes over the UTF-16 code units, as one hex key. */
  function hashText(text) {
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    return `${text.length.toString(36)}.${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
  }

  /** An insertion-ordered Map used as an LRU: a hit moves the entry to the end. */
  class MatchCache {
    constructor(maxEntries = 20000) {
      this.maxEntries = maxEntries;
      this.entries = new Map();
    }

    get(text) {
      const key = hashText(text);
      const value = this.entries.get(key);
      if (value === undefined) return undefined;
      this.entries.delete(key);
      this.entries.set(key, value);
      return value;
    }

    set(text, matches) {
      const key = hashText(text);
      this.entries.delete(key);
      this.entries.set(key, matches);
      while (this.entries.size > this.maxEntries) {
        this.entries.delete(this.entries.keys().next().value);
      }
    }

    clear() {
      this.entries.clear();
    }

    get size() {
      return this.entries.size;
    }
  }

  globalThis.termlightCache = Object.freeze({ hashText, MatchCache });
})();
