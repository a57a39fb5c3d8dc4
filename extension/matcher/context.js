/*
 * The context rule for ambiguous forms (README, "How matching works", rule 9), shared by the
 * local matcher and the background worker's match cache, which keeps the server's answer per
 * text (asked with "context_rule": false) and applies the rule over the texts of each request.
 *
 * A match of an ambiguous form arrives with a `why` ending in " ambiguous". It counts only when
 * the texts together hold at least `contextMin` different terms of its glossary found through
 * forms that are not ambiguous; it then says " context" instead. `known` adds terms already found
 * on the same page by earlier calls ([term id, glossary id] pairs), so a paragraph that arrives
 * later (infinite scroll, a single-page app) is judged with the page's context.
 */
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.termlightContext = api;
})(globalThis, function () {
  'use strict';

  const AMBIGUOUS = / ambiguous$/;

  /**
   * @param {{term_id: string, why?: string}[][]} lists the matches of each text
   * @param {(termId: string) => string} glossaryOf the glossary id of a term
   * @param {number} contextMin different unambiguous terms a glossary needs (0: the rule is off)
   * @param {[string, string][]} [known] terms found on the page before, with their glossaries
   */
  function applyContextRule(lists, glossaryOf, contextMin, known = []) {
    if (!contextMin) return lists;
    const found = new Map();
    for (const [termId, g] of known) {
      if (!found.has(g)) found.set(g, new Set());
      found.get(g).add(termId);
    }
    for (const list of lists) {
      for (const m of list) {
        if (AMBIGUOUS.test(m.why || '')) continue;
        const g = glossaryOf(m.term_id);
        if (!found.has(g)) found.set(g, new Set());
        found.get(g).add(m.term_id);
      }
    }
    return lists.map((list) => list.flatMap((m) => {
      if (!AMBIGUOUS.test(m.why || '')) return [m];
      const terms = found.get(glossaryOf(m.term_id));
      return terms && terms.size >= contextMin ? [{ ...m, why: m.why.replace(AMBIGUOUS, ' context') }] : [];
    }));
  }

  return Object.freeze({ applyContextRule });
});
