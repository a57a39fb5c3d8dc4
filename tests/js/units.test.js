// Unit tests of the extension's pure logic under Node (no browser): the match cache, the
// cutting of texts into requests, and settings sanitizing. Run by tests/core/test_extension_units_js.py
// (node --test tests/js/units.test.js). The files are the extension's own scripts, which set
// globals when loaded, as they do in the worker.
'use strict';
const test = require('node:test');
const assert = require('node:assert');

globalThis.termlightContext = require('../../extension/matcher/context.js');
for (const file of ['shared/protocol.js', 'shared/sites.js', 'shared/settings.js', 'background/cache.js',
  'background/client.js']) {
  require(`../../extension/${file}`);
}
const { hashText, MatchCache } = globalThis.termlightCache;
const { MatchClient } = globalThis.termlightClient;
const S = globalThis.termlightSettings;

test('hashText: the same text, the same key; different texts, different keys', () => {
  const texts = ['', 'a', 'b', 'ab', 'ba', 'LoRA', 'lora', '😀', '\ud83d', 'x'.repeat(100000), 'x'.repeat(100001)];
  const keys = texts.map(hashText);
  assert.deepStrictEqual(texts.map(hashText), keys);
  assert.strictEqual(new Set(keys).size, texts.length);
  // Keys stay short whatever the text: the worker must not keep a second copy of each page.
  assert.ok(keys.every((k) => k.length < 40), keys.join(' '));
});

test('MatchCache: least recently used entries go first, a hit refreshes one', () => {
  const cache = new MatchCache(3);
  cache.set('a', [1]);
  cache.set('b', [2]);
  cache.set('c', [3]);
  assert.deepStrictEqual(cache.get('a'), [1]); // a is now the most recent
  cache.set('d', [4]); // evicts b, the least recently used
  assert.strictEqual(cache.get('b'), undefined);
  assert.deepStrictEqual([cache.get('a'), cache.get('c'), cache.get('d')], [[1], [3], [4]]);
  assert.strictEqual(cache.size, 3);
  cache.set('a', [9]); // replacing keeps one entry
  assert.strictEqual(cache.size, 3);
  assert.deepStrictEqual(cache.get('a'), [9]);
  assert.deepStrictEqual(cache.get(''), undefined);
  cache.set('', []); // an empty answer is an answer
  assert.deepStrictEqual(cache.get(''), []);
  cache.clear();
  assert.strictEqual(cache.size, 0);
});

/** A server that answers every text with no matches and records each request's texts. */
function recordingServer() {
  const requests = [];
  globalThis.fetch = async (url, init) => {
    if (url.endsWith('/v1/glossaries')) {
      return Response.json({ glossaries: [], glossary_version: 'v1', context_min: 3 }, { headers: { ETag: '"v1"' } });
    }
    const body = JSON.parse(init.body);
    requests.push(body.texts);
    return Response.json({ results: body.texts.map(() => ({ matches: [] })), terms: {}, offsets: 'utf16',
      glossary_version: 'v1' });
  };
  return requests;
}
const SETTINGS = { serverUrl: 'http://localhost:8765', token: '', glossaries: [], insecureOk: false };

test('texts are cut into requests of at most 2000 texts, in order, each sent once', async () => {
  const requests = recordingServer();
  const texts = Array.from({ length: 4001 }, (_, i) => `text ${i}`);
  const reply = await new MatchClient().match(SETTINGS, [...texts, 'text 7', 'text 4000']);
  assert.deepStrictEqual(requests.map((r) => r.length), [2000, 2000, 1]);
  assert.deepStrictEqual(requests.flat(), texts); // duplicates asked once, order kept
  assert.strictEqual(reply.results.length, texts.length + 2);
});

test('texts are cut into requests of at most a million characters; a longer text goes alone', async () => {
  const requests = recordingServer();
  const big = 'x'.repeat(600000);
  const huge = 'y'.repeat(1200000);
  await new MatchClient().match(SETTINGS, [`${big}1`, `${big}2`, 'short', huge, 'tail']);
  assert.deepStrictEqual(requests.map((r) => r.map((t) => t.length)), [[600001], [600001, 5], [1200000], [4]]);
  for (const r of requests) {
    const chars = r.reduce((n, t) => n + t.length, 0);
    assert.ok(r.length === 1 || chars <= 1000000, `a request of ${chars} characters`);
  }
});

test('a text answered once is served from the cache', async () => {
  const requests = recordingServer();
  const client = new MatchClient();
  await client.match(SETTINGS, ['one', 'two']);
  await client.match(SETTINGS, ['two', 'three']);
  assert.deepStrictEqual(requests, [['one', 'two'], ['three']]);
});

test('sanitize keeps what is valid and falls back to the defaults for the rest', () => {
  const out = S.sanitize({ serverUrl: ' http://LOCALHOST:8765/ ', token: '  t  ', enabled: 'yes', occurrences: 'some',
    skipCode: false, matchMode: 'psychic', glossaries: ['ai', '', 3], disabledSites: ['Example.COM.', 'example.com', 7],
    insecureOk: 1 });
  assert.strictEqual(out.serverUrl, 'http://localhost:8765');
  assert.strictEqual(out.token, 't');
  assert.strictEqual(out.enabled, S.DEFAULTS.enabled);
  assert.strictEqual(out.occurrences, S.DEFAULTS.occurrences);
  assert.strictEqual(out.skipCode, false);
  assert.strictEqual(out.matchMode, S.DEFAULTS.matchMode);
  assert.deepStrictEqual(out.glossaries, ['ai']);
  assert.deepStrictEqual(out.disabledSites, ['example.com']);
  assert.strictEqual(out.insecureOk, S.DEFAULTS.insecureOk);
  assert.deepStrictEqual(S.sanitize(null), { ...S.DEFAULTS });
  for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'ftp://x', 'not a url', 42]) {
    assert.strictEqual(S.sanitize({ serverUrl: bad }).serverUrl, S.DEFAULTS.serverUrl, String(bad));
  }
});
