/*
 * The occurrences found on the page and the term records that explain them.
 *
 * An occurrence is one match placed in the DOM: a StaticRange over one or more text nodes,
 * the term id and the text it covered. StaticRange (not Range) because live ranges slow down
 * every DOM change the page makes; keeping them right after changes is the observer's job.
 *
 * Occurrences are grouped by the block element ("owner") whose text they came from, so a
 * changed block can be read again and its old occurrences replaced without touching the rest.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});
  const { locate } = ns.blockReader;

  const nodeIds = new WeakMap();
  let nextNodeId = 1;
  function nodeId(node) {
    let id = nodeIds.get(node);
    if (!id) {
      id = nextNodeId++;
      nodeIds.set(node, id);
    }
    return id;
  }

  function makeRange(startNode, startOffset, endNode, endOffset) {
    if (typeof StaticRange === 'function') {
      return new StaticRange({ startContainer: startNode, startOffset, endContainer: endNode, endOffset });
    }
    const r = document.createRange();
    r.setStart(startNode, startOffset);
    r.setEnd(endNode, endOffset);
    return r;
  }

  /** A live Range for measuring an occurrence on screen; null when the page changed under it. */
  function liveRange(occ) {
    try {
      const r = document.createRange();
      r.setStart(occ.range.startContainer, occ.range.startOffset);
      r.setEnd(occ.range.endContainer, occ.range.endOffset);
      return r;
    } catch {
      return null;
    }
  }

  /** Sort key comparison in document order. */
  function compareOccurrences(a, b) {
    const na = a.range.startContainer;
    const nb = b.range.startContainer;
    if (na === nb) return a.range.startOffset - b.range.startOffset;
    return na.compareDocumentPosition(nb) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  }

  class Store {
    constructor() {
      this.byOwner = new Map();
      this.keys = new Set();
      this.terms = new Map();
      this.glossaryNames = new Map();
      /** The occurrence underlined for each term in "first" mode: kept while it is on the page. */
      this.firstShown = new Map();
    }

    /** Glossary display names by id (the worker sends them with each answer). */
    addGlossaries(names) {
      for (const [id, name] of Object.entries(names || {})) {
        if (typeof name === 'string') this.glossaryNames.set(id, name);
      }
    }

    glossaryName(id) {
      return (typeof id === 'string' && this.glossaryNames.get(id)) || id || '';
    }

    addTerms(terms) {
      for (const [id, term] of Object.entries(terms || {})) {
        if (!term || typeof term !== 'object' || typeof term.term !== 'string') continue;
        const known = this.terms.get(id);
        if (term.partial && known && !known.partial) continue; // a name only never hides a full term
        this.terms.set(id, term);
      }
    }

    /**
     * Place a segment's matches in the DOM. A match whose text is not exactly what the segment
     * holds at its offsets (a stale or foreign answer) is dropped, so nothing is ever drawn
     * over the wrong words. Returns the number of occurrences added.
     */
    addMatches(seg, matches) {
      let added = 0;
      for (const m of matches) {
        if (seg.text.slice(m.start, m.end) !== m.text) continue;
        const [si, so] = locate(seg, m.start, false);
        const [ei, eo] = locate(seg, m.end, true);
        const startNode = seg.nodes[si];
        const endNode = seg.nodes[ei];
        const key = `${nodeId(startNode)}:${so}:${nodeId(endNode)}:${eo}:${m.term_id}`;
        if (this.keys.has(key)) continue;
        const occ = {
          range: makeRange(startNode, so, endNode, eo),
          termId: m.term_id,
          text: m.text,
          owner: seg.owner,
          nodes: seg.nodes.slice(si, ei + 1),
          key,
          // Other glossaries' terms with the same form, in the server's glossary order.
          alternatives: Array.isArray(m.alternatives) ? m.alternatives.filter((a) => typeof a === 'string') : [],
          why: typeof m.why === 'string' ? m.why : '',
        };
        let list = this.byOwner.get(seg.owner);
        if (!list) this.byOwner.set(seg.owner, (list = []));
        list.push(occ);
        this.keys.add(key);
        added++;
      }
      return added;
    }

    /** Forget the occurrences read from `root` or any block inside it. */
    removeWithin(root) {
      for (const [owner, list] of this.byOwner) {
        if (owner === root || root.contains(owner)) {
          for (const occ of list) this.keys.delete(occ.key);
          this.byOwner.delete(owner);
        }
      }
    }

    /** Drop occurrences whose text nodes left the page or became too short for their offsets. */
    prune() {
      let removed = 0;
      for (const [owner, list] of this.byOwner) {
        const kept = list.filter((occ) => {
          const ok = occ.nodes.every((n) => n.isConnected) && occ.range.endOffset <= occ.range.endContainer.length;
          if (!ok) this.keys.delete(occ.key);
          return ok;
        });
        removed += list.length - kept.length;
        if (!kept.length) this.byOwner.delete(owner);
        else if (kept.length !== list.length) this.byOwner.set(owner, kept);
      }
      return removed;
    }

    clear() {
      this.byOwner.clear();
      this.keys.clear();
      this.firstShown.clear();
    }

    all() {
      const out = [];
      for (const list of this.byOwner.values()) for (const occ of list) out.push(occ);
      return out;
    }

    /**
     * What to underline: every occurrence, or ("first") one per term: its first occurrence in
     * document order when the term is first seen. That choice then stays while its text is on
     * the page, so the underline does not jump as a page loads more content (above or below);
     * the other occurrences stay hoverable (see Painter.sync).
     */
    visible(mode) {
      const all = this.all();
      if (mode !== 'first') return all;
      const first = new Map();
      for (const occ of all) {
        const best = first.get(occ.termId);
        if (!best || compareOccurrences(occ, best) < 0) first.set(occ.termId, occ);
      }
      for (const [termId, shown] of this.firstShown) {
        if (this.keys.has(shown.key) && first.has(termId)) first.set(termId, shown);
        else this.firstShown.delete(termId);
      }
      for (const [termId, occ] of first) this.firstShown.set(termId, occ);
      return [...first.values()];
    }

    /** Distinct term ids with all their occurrences in document order, for the panel. */
    byTerm() {
      const groups = new Map();
      for (const occ of this.all()) {
        let list = groups.get(occ.termId);
        if (!list) groups.set(occ.termId, (list = []));
        list.push(occ);
      }
      for (const list of groups.values()) list.sort(compareOccurrences);
      return groups;
    }

    /**
     * [term id, glossary id] of the terms on the page found through forms that are not ambiguous:
     * the context the worker counts for the page's later batches (matching rule 9).
     */
    knownContext(limit = 500) {
      const out = new Map();
      for (const list of this.byOwner.values()) {
        for (const occ of list) {
          if (out.size >= limit) break;
          if (out.has(occ.termId) || / (context|ambiguous)$/.test(occ.why)) continue;
          const term = this.terms.get(occ.termId);
          if (term && typeof term.glossary === 'string') out.set(occ.termId, term.glossary);
        }
      }
      return [...out];
    }

    termCount() {
      const ids = new Set();
      for (const list of this.byOwner.values()) for (const occ of list) ids.add(occ.termId);
      return ids.size;
    }
  }

  ns.store = Object.freeze({ Store, makeRange, liveRange, compareOccurrences });
})();
