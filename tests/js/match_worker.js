// A line-oriented bridge for the Python tests: reads JSON lines on stdin, answers one line each.
//   {"compiled": {...}}                         -> {"ok": true}      (load a compiled glossary)
//   {"texts": ["...", ...], "glossaries": [...]} -> {"results": [[match, ...], ...]}
//     (the texts together, as one POST /v1/match; "context": false turns the context rule off)
'use strict';
const readline = require('node:readline');
const { LocalMatcher } = require('../../extension/matcher/matcher.js');

let matcher = null;
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  let answer;
  try {
    const msg = JSON.parse(line);
    if (msg.compiled) {
      matcher = new LocalMatcher(msg.compiled);
      answer = { ok: true };
    } else {
      const options = { glossaries: msg.glossaries || null, context: msg.context !== false };
      answer = { results: matcher.matchAll(msg.texts, options) };
    }
  } catch (err) {
    answer = { error: String(err && err.stack ? err.stack : err) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
