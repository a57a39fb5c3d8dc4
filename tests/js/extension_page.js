// A page for the content scripts' Node tests: a jsdom window (a real DOM, with jsdom's default
// stylesheet for `display`, but no layout) with the extension's own visible.js and blockreader.js
// run inside it, as the browser runs them; plus the seeded random numbers the generated cases use.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
// jsdom is pinned in tools/package.json and installed by `make install` (npm ci in tools/).
const { JSDOM } = require(path.join(__dirname, '..', '..', 'tools', 'node_modules', 'jsdom'));

const CONTENT = path.join(__dirname, '..', '..', 'extension', 'content');
const SCRIPTS = ['visible.js', 'blockreader.js'].map((name) => {
  const file = path.join(CONTENT, name);
  return new vm.Script(fs.readFileSync(file, 'utf8'), { filename: file });
});

/**
 * A new window showing `html` with the extension's reading scripts loaded. `contentType` other
 * than text/html is only pretended (jsdom parses HTML and XML only): the document reports it.
 */
function pageWith(html, { contentType } = {}) {
  const dom = new JSDOM(`<!doctype html><html><head></head><body>${html}</body></html>`, { runScripts: 'outside-only' });
  const context = dom.getInternalVMContext();
  for (const script of SCRIPTS) script.runInContext(context);
  const window = dom.window;
  if (contentType) Object.defineProperty(window.document, 'contentType', { value: contentType });
  const { blockReader, visible } = window.termlight;
  return { window, document: window.document, body: window.document.body, reader: blockReader, visible };
}

/** Every segment of `root`, without the `null`s the walk yields to let its caller look at the clock. */
function readAll(reader, root, opts = {}) {
  return [...reader.segments(root, opts)].filter((seg) => seg !== null);
}

/** Deterministic numbers in [0, 1) from a 32-bit seed (a xorshift generator), so a failure can be replayed. */
function seededRandom(seed) {
  let s = (seed >>> 0) || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** The seed of this run: TERMLIGHT_JS_SEED when set (to replay a failure), a fixed one otherwise. */
function runSeed() {
  const seed = Number.parseInt(process.env.TERMLIGHT_JS_SEED || '13013', 10);
  console.log(`# seed ${seed} (replay with TERMLIGHT_JS_SEED=${seed})`);
  return seed;
}

module.exports = { pageWith, readAll, seededRandom, runSeed };
