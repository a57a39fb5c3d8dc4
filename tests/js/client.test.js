// The background worker's MatchClient (extension/background/client.js) against a fake server:
// a version change while a batch's requests are in flight loses nothing, the context rule spans
// a request's texts (cached ones included), and the glossary is revalidated with its ETag.
// Run through tests/core/test_client_js.py:  node --test tests/js/client.test.js
'use strict';
const test = require('node:test');
const assert = require('node:assert');

// The worker loads these as plain scripts that set globals; context.js is also a Node module.
globalThis.termlightContext = require('../../extension/matcher/context.js');
for (const file of ['shared/protocol.js', 'shared/sites.js', 'shared/settings.js', 'background/cache.js',
  'background/client.js']) {
  require(`../../extension/${file}`);
}
const { MatchClient } = globalThis.termlightClient;
const SETTINGS = { serverUrl: 'http://localhost:8765', token: '', glossaries: [], insecureOk: false };
const AMBIGUOUS = new Set(['temperature', 'agent']);

/** A fake server: every text is one term; `versions` are handed out in turn to match answers. */
function fakeServer({ versions = ['v1'], listing = 'v1' } = {}) {
  const log = [];
  const state = { listing, versions, calls: 0 };
  globalThis.fetch = async (url, init) => {
    const path = url.replace(SETTINGS.serverUrl, '');
    const headers = init.headers || {};
    if (path === '/v1/glossaries') {
      log.push({ path, etag: headers['If-None-Match'] || null });
      if (headers['If-None-Match'] === `"${state.listing}"`) return new Response(null, { status: 304 });
      return Response.json({ glossaries: [{ id: 'ai', name: 'AI jargon', description: '', terms: 9 }],
        glossary_version: state.listing, context_min: 3 }, { headers: { ETag: `"${state.listing}"` } });
    }
    const body = JSON.parse(init.body);
    const version = state.versions[state.calls++ % state.versions.length];
    log.push({ path, texts: body.texts, context_rule: body.context_rule, version });
    await new Promise((r) => setTimeout(r, 5 + (state.calls % 3) * 7)); // answers arrive out of order
    const terms = {};
    const results = body.texts.map((t) => {
      terms[t] = { id: t, term: t, definition: `${t} (${version})`, glossary: 'ai' };
      const why = AMBIGUOUS.has(t) ? 'term ambiguous' : 'term';
      return { matches: [{ start: 0, end: t.length, term_id: t, text: t, why }] };
    });
    return Response.json({ results, terms, offsets: 'utf16', glossary_version: version });
  };
  return { log, state };
}

test('a version change while a batch is in flight loses none of its results', async () => {
  fakeServer({ versions: ['v1', 'v2'] });
  const client = new MatchClient();
  const texts = Array.from({ length: 4500 }, (_, i) => `term${i}`); // three requests
  const reply = await client.match(SETTINGS, texts);
  assert.strictEqual(reply.results.length, texts.length);
  const empty = reply.results.filter((list) => list.length !== 1).length;
  assert.strictEqual(empty, 0, `${empty} texts lost their matches`);
  for (const t of ['term0', 'term2500', 'term4499']) assert.ok(reply.terms[t], `term ${t} missing`);
});

test('the context rule spans the texts of one request, cached ones included', async () => {
  const { log } = fakeServer();
  const client = new MatchClient();
  let reply = await client.match(SETTINGS, ['temperature', 'LLM', 'RAG']);
  assert.deepStrictEqual(reply.results.map((l) => l.length), [0, 1, 1]); // 2 unambiguous terms: not enough
  reply = await client.match(SETTINGS, ['LLM', 'RAG', 'GPU', 'temperature']);
  assert.deepStrictEqual(reply.results.map((l) => l.map((m) => m.why)), [['term'], ['term'], ['term'], ['term context']]);
  const sent = log.filter((e) => e.path === '/v1/match');
  assert.deepStrictEqual(sent.map((e) => e.texts), [['temperature', 'LLM', 'RAG'], ['GPU']]); // each text sent once
  assert.ok(sent.every((e) => e.context_rule === false));
  assert.deepStrictEqual(reply.glossaries, { ai: 'AI jargon' });
});

test('terms the page already shows count as context for a later batch', async () => {
  fakeServer();
  const client = new MatchClient();
  let reply = await client.match(SETTINGS, ['temperature']);
  assert.deepStrictEqual(reply.results, [[]]);
  reply = await client.match(SETTINGS, ['temperature'], [['LLM', 'ai'], ['RAG', 'ai'], ['GPU', 'ai']]);
  assert.deepStrictEqual(reply.results.map((l) => l.map((m) => m.why)), [['term context']]);
  reply = await client.match(SETTINGS, ['temperature'], [['LLM', 'ai'], ['RAG', 'ai'], ['GPU', 'other']]);
  assert.deepStrictEqual(reply.results, [[]], 'context counts in the same glossary only');
});

test('the glossary is revalidated with its ETag, and a new version empties the cache', async () => {
  const { log, state } = fakeServer();
  const client = new MatchClient();
  await client.match(SETTINGS, ['LLM']);
  await client.match(SETTINGS, ['LLM']); // within REVALIDATE_MS: no second look
  assert.strictEqual(log.filter((e) => e.path === '/v1/glossaries').length, 1);
  client.checkedAt = -Infinity; // as if the interval had passed
  await client.match(SETTINGS, ['LLM']);
  const looks = log.filter((e) => e.path === '/v1/glossaries');
  assert.deepStrictEqual(looks.map((e) => e.etag), [null, '"v1"']); // answered 304
  assert.strictEqual(log.filter((e) => e.path === '/v1/match').length, 1, 'a 304 keeps the cache');
  state.listing = 'v2';
  state.versions = ['v2'];
  client.checkedAt = -Infinity;
  const reply = await client.match(SETTINGS, ['LLM']);
  assert.strictEqual(log.filter((e) => e.path === '/v1/match').length, 2, 'a new version asks again');
  assert.strictEqual(reply.terms.LLM.definition, 'LLM (v2)');
  client.checkedAt = -Infinity;
  assert.strictEqual((await client.term(SETTINGS, 'LLM')).definition, 'LLM (v2)');
});
