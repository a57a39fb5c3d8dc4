// Unit tests of the extension's page reading (extension/content/blockreader.js) under Node, in a
// real DOM without layout (jsdom, see extension_page.js). Run by tests/core/test_extension_units_js.py
// (node --test). What needs layout (boxes that clip, off-page positions, checkVisibility, the
// -webkit-user-modify style) is left to the Chromium tests in tests/extension.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { pageWith, readAll, seededRandom, runSeed } = require('./extension_page.js');

const SEED = runSeed();
const texts = (segs) => segs.map((seg) => seg.text);
// Arrays made inside the page's realm compare equal to ours only once copied.
const plain = (array) => Array.from(array);

/** A segment's own bookkeeping: its text is its nodes' text in order, each starting where it says. */
function assertConsistent(seg) {
  let pos = 0;
  assert.strictEqual(seg.nodes.length, seg.starts.length);
  seg.nodes.forEach((node, i) => {
    assert.strictEqual(seg.starts[i], pos, `start of node ${i}`);
    assert.ok(node.data.length > 0, 'no empty text node is kept');
    pos += node.data.length;
  });
  assert.strictEqual(seg.nodes.map((n) => n.data).join(''), seg.text);
  assert.ok(/\S/.test(seg.text), 'whitespace-only segments are dropped');
  assert.ok(seg.nodes.every((n) => seg.owner.contains(n)), 'the owner holds every node');
}

/** The nearest-start rule, written plainly: the node an offset falls in, as blockreader's locate promises. */
function locateLinear(starts, offset, isEnd) {
  let index = 0;
  for (let i = 0; i < starts.length; i++) {
    if (starts[i] < offset || (!isEnd && starts[i] === offset)) index = i;
  }
  return [index, offset - starts[index]];
}

test('locate: every start and end offset of many generated segments, against a linear search', () => {
  const { reader } = pageWith('');
  const random = seededRandom(SEED);
  let checked = 0;
  for (let round = 0; round < 400; round++) {
    const lengths = Array.from({ length: 1 + Math.floor(random() * 12) }, () => 1 + Math.floor(random() * 6));
    const starts = [];
    let total = 0;
    for (const length of lengths) {
      starts.push(total);
      total += length;
    }
    const seg = { starts };
    for (let offset = 0; offset <= total; offset++) {
      for (const isEnd of [false, true]) {
        const [index, inNode] = reader.locate(seg, offset, isEnd);
        assert.deepStrictEqual([index, inNode], locateLinear(starts, offset, isEnd), `starts ${starts} offset ${offset} end ${isEnd}`);
        // A start lies inside its node, an end never at the very start of one (except offset 0).
        if (!isEnd && offset < total) assert.ok(inNode >= 0 && inNode < lengths[index]);
        if (isEnd && offset > 0) assert.ok(inNode > 0 && inNode <= lengths[index]);
        checked++;
      }
    }
  }
  assert.ok(checked > 10000, `${checked} positions checked`);
});

test('locate: a boundary between two nodes starts in the later one and ends in the earlier one', () => {
  const { body, reader } = pageWith('<p>large <em>language</em> model</p>');
  const [seg] = readAll(reader, body);
  assert.strictEqual(seg.text, 'large language model');
  assert.deepStrictEqual(plain(seg.starts), [0, 6, 14]);
  assert.deepStrictEqual(plain(reader.locate(seg, 6, false)), [1, 0]); // "language" starts in the <em>
  assert.deepStrictEqual(plain(reader.locate(seg, 14, true)), [1, 8]); // ...and ends at the end of it
  assert.deepStrictEqual(plain(reader.locate(seg, 14, false)), [2, 0]);
  assert.deepStrictEqual(plain(reader.locate(seg, 6, true)), [0, 6]);
  assert.deepStrictEqual(plain(reader.locate(seg, 20, true)), [2, 6]);
  assert.deepStrictEqual(plain(reader.locate(seg, 0, false)), [0, 0]);
});

test('segmentIntact: true as collected; false once a node is edited, emptied or removed', () => {
  const random = seededRandom(SEED + 1);
  const { document, body, reader } = pageWith('');
  for (let round = 0; round < 80; round++) {
    body.textContent = '';
    const p = body.appendChild(document.createElement('p'));
    const count = 1 + Math.floor(random() * 6);
    for (let i = 0; i < count; i++) {
      const parent = random() < 0.5 ? p : p.appendChild(document.createElement('em'));
      parent.appendChild(document.createTextNode(`w${i}${'😀'.repeat(Math.floor(random() * 3))} `));
    }
    const [seg] = readAll(reader, body);
    assertConsistent(seg);
    assert.ok(reader.segmentIntact(seg));
    const node = seg.nodes[Math.floor(random() * seg.nodes.length)];
    const change = Math.floor(random() * 5);
    if (change === 0) node.data = node.data; // the same text again: still intact
    else if (change === 1) node.data = node.data.replace('w', 'x'); // same length, other text
    else if (change === 2) node.data += 'more';
    else if (change === 3) node.data = '';
    else node.remove();
    assert.strictEqual(reader.segmentIntact(seg), change === 0, `change ${change} in round ${round}`);
  }
  // A node taken out with its parent is gone too.
  body.innerHTML = '<p>large <em>language</em> model</p>';
  const [seg] = readAll(reader, body);
  body.querySelector('em').remove();
  assert.strictEqual(reader.segmentIntact(seg), false);
});

test('segments: inline children join into one segment, blocks and breaks end one', () => {
  const { body, reader } = pageWith(`<h1>Large language models</h1><p>are <b>trained</b> on <a href="#">text<span>s</span></a>.</p>`
    + '<div>one<div>two</div>three<span>four<div>five</div>six</span></div>'
    + '<p>line<br>next<img alt="">after</p>rule<hr>ruled<wbr>joined'
    + '<p>a<span style="display:inline-block">b</span>c<span style="display:contents">d</span>e</p>'
    + '<ul><li>first</li><li>second</li></ul><table><tr><td>cell</td><td>other</td></tr></table>');
  const segs = readAll(reader, body);
  assert.deepStrictEqual(texts(segs), ['Large language models', 'are trained on texts.', 'one', 'two', 'threefour', 'five',
    'six', 'line', 'next', 'after', 'rule', 'ruledjoined', 'a', 'b', 'cde', 'first', 'second', 'cell', 'other']);
  segs.forEach(assertConsistent);
  assert.strictEqual(segs[0].owner, body.querySelector('h1'));
  assert.strictEqual(segs[1].owner, body.querySelector('p'));
  assert.strictEqual(segs[4].owner, body.querySelector('div')); // text after a nested block belongs to the outer one
  assert.strictEqual(segs[10].owner, body); // top-level inline text
});

test('segments: what is not prose or not ours is skipped, and does not split the text around it', () => {
  const skipped = ['script', 'style', 'noscript', 'template', 'textarea', 'select', 'button', 'iframe', 'object',
    'canvas', 'svg', 'math', 'video', 'audio', 'picture', 'title'];
  const { document, body, reader } = pageWith('');
  for (const tag of skipped) {
    body.innerHTML = `<p>before <${tag}>secret</${tag}> after</p>`;
    assert.ok(body.querySelector(tag), tag);
    assert.deepStrictEqual(texts(readAll(reader, body)), ['before  after'], tag);
  }
  body.innerHTML = '<p>name <input value="typed secret"> and <select><option>choice</option></select> end</p>';
  assert.deepStrictEqual(texts(readAll(reader, body)), ['name  and  end']);
  const kinds = [...skipped, 'input', 'option', 'optgroup', 'datalist', 'embed', 'frame', 'meta', 'link', 'base', 'head']
    .map((tag) => reader.classify(document.createElement(tag), {}));
  assert.ok(kinds.every((kind) => kind === reader.SKIP), kinds.join());
});

test('segments: code and pre are skipped only with skipCode, except the plain-text viewer', () => {
  const html = '<p>run <code>pip install</code> now</p><pre>x = 1</pre><p><kbd>Ctrl</kbd>+<samp>out</samp><tt>tt</tt>.</p>';
  const { body, reader } = pageWith(html);
  assert.deepStrictEqual(texts(readAll(reader, body, { skipCode: true })), ['run  now', '+.']);
  assert.deepStrictEqual(texts(readAll(reader, body, { skipCode: false })), ['run pip install now', 'x = 1', 'Ctrl+outtt.']);
  // A .txt file is shown as one <pre> directly in the body of a text/plain document: prose.
  const plain = pageWith('<pre>a text file about LoRA</pre>', { contentType: 'text/plain' });
  assert.deepStrictEqual(texts(readAll(plain.reader, plain.body, { skipCode: true })), ['a text file about LoRA']);
  // The same document type does not make every <pre> prose, nor any <pre> of an HTML page.
  const nested = pageWith('<div><pre>code</pre></div>', { contentType: 'text/plain' });
  assert.deepStrictEqual(texts(readAll(nested.reader, nested.body, { skipCode: true })), []);
  const html5 = pageWith('<pre>code</pre>');
  assert.deepStrictEqual(texts(readAll(html5.reader, html5.body, { skipCode: true })), []);
});

test('segments: hidden text of the kinds a DOM without layout can tell is skipped', () => {
  const { body, reader } = pageWith(`<p>seen</p><p hidden>hidden attribute</p><p>a<span hidden>b</span>c</p>
    <div style="display:none"><p>display none</p></div><div style="visibility:hidden"><p>invisible</p></div>
    <p style="visibility:collapse">collapsed</p><p style="opacity:0">transparent</p><p style="font-size:0">tiny</p>
    <p style="content-visibility:hidden">content hidden</p><p style="text-indent:-9999px">pushed out</p>
    <p>an <span style="text-indent:-9999px">inline</span> indent does nothing</p>
    <details><summary>Summary <b>shown</b></summary>closed body<p>closed paragraph</p><summary>second summary</summary></details>
    <details open><summary>open</summary>open body</details>`);
  assert.deepStrictEqual(texts(readAll(reader, body)).map((t) => t.trim()),
    ['seen', 'ac', 'an inline indent does nothing', 'Summary shown', 'open', 'open body']);
});

test('segments: editable areas, the extension\'s host and code editors are never read', () => {
  const { document, body, reader } = pageWith(`<p>prose</p><div contenteditable>typed</div><div contenteditable="TRUE">typed</div>
    <div contenteditable="plaintext-only">typed</div><p contenteditable="false">read <span contenteditable="">typed</span></p>
    <div role="textbox">typed</div><span role=" SearchBox ">typed</span><div role="combobox">typed</div>
    <div role="button">a button's label</div><div id="host">our own panel</div><div id="editor">let x<div>= 1</div></div>`);
  const host = document.getElementById('host');
  const editors = new Set([document.getElementById('editor')]);
  assert.deepStrictEqual(texts(readAll(reader, body, { host, editors })).map((t) => t.trim()), ['prose', 'read', 'a button\'s label']);
  assert.deepStrictEqual(texts(readAll(reader, body, {})).slice(-3), ['our own panel', 'let x', '= 1']);
});

test('segments: whitespace-only runs are dropped, the whitespace of a kept one is not', () => {
  const { body, reader } = pageWith('<p>  </p><p>\n\t</p><div> <br> </div><p>  two  words </p> \n ');
  const segs = readAll(reader, body);
  assert.deepStrictEqual(texts(segs), ['  two  words ']);
  assert.deepStrictEqual(texts(readAll(reader, body.querySelector('p'))), []);
});

test('segments: yields null every 200 nodes, even among skipped ones, and resumes where it stopped', () => {
  const { document, body, reader } = pageWith('');
  for (let i = 0; i < 500; i++) {
    const p = body.appendChild(document.createElement('p'));
    p.append(`paragraph ${i} `, document.createElement('em'), ' end');
    p.querySelector('em').textContent = 'term';
  }
  for (let i = 0; i < 1000; i++) body.appendChild(document.createElement('script')).textContent = 'x';
  const seen = [...reader.segments(body, {})];
  // Nodes looked at: 500 paragraphs of 5 nodes (p, text, em, its text, text), then 1000 scripts.
  assert.strictEqual(seen.filter((seg) => seg === null).length, Math.floor(3500 / 200));
  // The 1000 scripts after the last paragraph are looked at, not read, and still give 5 nulls.
  assert.deepStrictEqual(seen.slice(-6).map((seg) => seg && seg.text), ['paragraph 499 term end', null, null, null, null, null]);
  const segs = seen.filter((seg) => seg !== null);
  assert.deepStrictEqual(texts(segs), Array.from({ length: 500 }, (_, i) => `paragraph ${i} term end`));
  segs.forEach(assertConsistent);
  // Two walks of the same page stepped in turn keep no state in common.
  const walks = [reader.segments(body, {}), reader.segments(body, {})];
  const got = [[], []];
  const finished = [false, false];
  for (let i = 0; !finished[0] || !finished[1]; i = 1 - i) {
    if (finished[i]) continue;
    const step = walks[i].next();
    if (step.done) finished[i] = true;
    else if (step.value) got[i].push(step.value.text);
  }
  assert.deepStrictEqual(got, [texts(segs), texts(segs)]);
});

test('classify: how each kind of element takes part in reading', () => {
  const { document, body, reader } = pageWith(`<p id="p">a <em id="em">b</em> <span id="contents" style="display:contents">c</span>
    <ruby id="ruby">漢<rt id="rt">kan</rt></ruby><span id="block" style="display:block">d</span>
    <span id="ib" style="display:inline-block">e</span><br id="br"><img id="img" alt=""><wbr id="wbr"></p>
    <ul><li id="li">f</li></ul><table><tr><td id="td">g</td></tr></table><h2 id="h2">h</h2>`);
  const { SKIP, INLINE, BLOCK, BREAK } = reader;
  const expected = { p: BLOCK, em: INLINE, contents: INLINE, ruby: INLINE, rt: INLINE, block: BLOCK, ib: BLOCK, br: BREAK,
    img: BREAK, wbr: INLINE, li: BLOCK, td: BLOCK, h2: BLOCK };
  const got = Object.fromEntries(Object.keys(expected).map((id) => [id, reader.classify(document.getElementById(id), {})]));
  assert.deepStrictEqual(got, expected);
  // Options come before style: the host and an editor root are skipped whatever they look like.
  const p = document.getElementById('p');
  assert.strictEqual(reader.classify(p, { host: p }), SKIP);
  assert.strictEqual(reader.classify(p, { editors: new Set([p]) }), SKIP);
  assert.strictEqual(reader.classify(body.querySelector('ul'), { host: p, editors: new Set([p]) }), BLOCK);
});

test('rescanRootOf: the nearest block, the body for top-level inline text, null where nothing is read', () => {
  const { document, body, reader } = pageWith(`top <b id="b">bold</b><p id="p">large <em id="em">language</em> model</p>
    <div id="div"><span id="span">inline</span><section id="sec"><i id="i">deep</i></section></div>
    <div contenteditable><p id="typed">typed</p></div><div role="textbox"><b id="boxed">x</b></div>
    <div hidden><p id="hid">x</p></div><div style="display:none"><p id="none">x</p></div>
    <pre id="pre"><code id="code">x = 1</code></pre><details><summary id="sum">s</summary><p id="closed">x</p>inside</details>
    <div id="host"><p id="ours">panel</p></div><textarea id="area">typed</textarea>`);
  document.head.appendChild(document.createElement('meta'));
  const byId = (id) => document.getElementById(id);
  const opts = { skipCode: true, host: byId('host') };
  const root = (node, options = opts) => reader.rescanRootOf(node, options);
  assert.strictEqual(root(body.firstChild), body);
  assert.strictEqual(root(byId('b').firstChild), body);
  assert.strictEqual(root(byId('em').firstChild), byId('p'));
  assert.strictEqual(root(byId('em')), byId('p'));
  assert.strictEqual(root(byId('p')), byId('p'));
  assert.strictEqual(root(byId('span')), byId('div'));
  assert.strictEqual(root(byId('i').firstChild), byId('sec'));
  assert.strictEqual(root(byId('sum').firstChild), byId('sum'));
  for (const id of ['typed', 'boxed', 'hid', 'none', 'code', 'pre', 'closed', 'ours', 'area']) {
    assert.strictEqual(root(byId(id).firstChild || byId(id)), null, id);
  }
  // Text, a <br> or an image placed straight inside a closed <details> (not in its summary) is
  // never read either: a change there has nothing to read again.
  const details = byId('closed').parentElement;
  assert.strictEqual(root(details.lastChild), null, 'text in a closed details');
  assert.strictEqual(root(details.appendChild(document.createElement('br'))), null, 'a <br> in a closed details');
  details.open = true;
  assert.strictEqual(root(details.lastChild), details, 'an open details is read');
  details.open = false;
  // Code is read without skipCode: its root is the <pre> block around it.
  assert.strictEqual(root(byId('code').firstChild, { skipCode: false }), byId('pre'));
  // An added <br> or image changes the block it is in.
  const br = byId('p').appendChild(document.createElement('br'));
  assert.strictEqual(root(br), byId('p'));
  assert.strictEqual(root(body.appendChild(document.createElement('img'))), body);
  // Outside the body, or no longer in the page: nothing to read.
  assert.strictEqual(root(document.head.firstChild), null);
  assert.strictEqual(root(document.documentElement), null);
  const gone = byId('em').firstChild;
  byId('em').remove();
  assert.strictEqual(root(gone), null);
  assert.strictEqual(root(document.createElement('p')), null);
});

test('documentEditable: only designMode "on" (in any case) makes the whole page editable', () => {
  // jsdom has no designMode of its own: the test sets the property a browser would report.
  const { document, reader } = pageWith('<p>x</p>');
  const answers = [undefined, 'off', 'on', 'On', 'ON', ''].map((mode) => {
    document.designMode = mode;
    return reader.documentEditable(document);
  });
  assert.deepStrictEqual(answers, [false, false, true, true, true, false]);
});
