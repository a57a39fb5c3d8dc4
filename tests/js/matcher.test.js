// The extension's local matcher against the shared matching cases (tests/core/data/matching_cases.json).
// Run through tests/core/test_matcher_js.py, which compiles each case's glossary the way
// GET /v1/compiled does and passes them in TERMLIGHT_COMPILED_CASES:
//   node --test tests/js/
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { LocalMatcher, FormatError } = require('../../extension/matcher/matcher.js');
const { decodeRanges, inRanges } = require('../../extension/matcher/tables.js');

const casesFile = process.env.TERMLIGHT_CASES || path.join(__dirname, '..', 'core', 'data', 'matching_cases.json');
const compiledFile = process.env.TERMLIGHT_COMPILED_CASES;
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));

test('the compiled glossaries are given', () => {
  assert.ok(compiledFile, 'run through tests/core/test_matcher_js.py (it sets TERMLIGHT_COMPILED_CASES)');
});

const compiled = compiledFile ? JSON.parse(fs.readFileSync(compiledFile, 'utf8')) : {};
const matchers = new Map();
function matcherFor(name) {
  if (!matchers.has(name)) matchers.set(name, new LocalMatcher(compiled[name]));
  return matchers.get(name);
}

/** The matches in the shape of the expectations (only as detailed as each one is). */
function answer(matches, expect) {
  return matches.map((m, i) => {
    const want = expect[i] || [];
    const row = [m.term_id, m.text];
    if (want.length > 2) row.push(m.start, m.end);
    if (want.length > 4 || m.alternatives) row.push(m.alternatives || []);
    return row;
  });
}

for (const c of cases.cases) {
  test(`${c.rule}: ${c.text.slice(0, 40)}`, { skip: !compiledFile }, () => {
    const got = matcherFor(c.glossary).match(c.text, { glossaries: c.only === undefined ? null : c.only });
    assert.deepStrictEqual(answer(got, c.expect), c.expect);
    for (const m of got) assert.strictEqual(c.text.slice(m.start, m.end), m.text);
  });
}

test('ranges decode to sorted bounds', () => {
  const bounds = decodeRanges([48, 10, 7, 26]); // 0-9, A-Z
  assert.deepStrictEqual(Array.from(bounds), [48, 58, 65, 91]);
  assert.ok(inRanges(bounds, 48) && inRanges(bounds, 57) && inRanges(bounds, 90));
  assert.ok(!inRanges(bounds, 58) && !inRanges(bounds, 47) && !inRanges(bounds, 91));
});

test('an unknown format or version is refused, not guessed at', { skip: !compiledFile }, () => {
  const doc = compiled[Object.keys(compiled)[0]];
  assert.throws(() => new LocalMatcher({ ...doc, format_version: 999 }), FormatError);
  assert.throws(() => new LocalMatcher({ ...doc, format: 'other' }), FormatError);
  assert.throws(() => new LocalMatcher(null), FormatError);
});
