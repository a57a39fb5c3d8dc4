// Generated pages for the extension's page reading (extension/content/blockreader.js) under Node:
// random trees of inline, block, breaking and skipped elements, each element's part in reading
// decided when it is made, and a plain recursive reader written here as the reference. Seeded;
// the seed is printed. Run by tests/core/test_extension_units_js.py (node --test).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { isDeepStrictEqual } = require('node:util');
const { pageWith, readAll, seededRandom, runSeed } = require('./extension_page.js');

const SEED = runSeed();

// [part in reading, tag, attributes]. "details" is a block whose content, but for its first
// <summary>, is hidden unless it is open; "code ..." is skipped when the options say skipCode; "host"
// is skipped when it is the host the options name.
const ELEMENTS = [
  ['inline', 'em'], ['inline', 'span'], ['inline', 'a', { href: '#' }], ['inline', 'b'], ['code inline', 'code'],
  ['inline', 'span', { style: 'display:contents' }], ['code inline', 'kbd'],
  ['block', 'p'], ['block', 'div'], ['block', 'li'], ['block', 'h2'], ['block', 'span', { style: 'display:block' }],
  ['code block', 'pre'], ['block', 'details', { open: '' }],
  ['break', 'br'], ['break', 'img', { alt: 'x' }], ['break', 'hr'],
  ['skip', 'script'], ['skip', 'button'], ['skip', 'textarea'], ['skip', 'span', { hidden: '' }],
  ['skip', 'div', { style: 'display:none' }], ['skip', 'span', { style: 'visibility:hidden' }],
  ['skip', 'div', { contenteditable: '' }], ['skip', 'span', { role: 'textbox' }],
  ['skip', 'div', { class: 'editor' }], ['host', 'div', { class: 'host' }],
  ['details', 'details'],
];
const SKIPPED = ELEMENTS.filter(([part]) => part === 'skip' || part === 'host');
const SHOWN = ELEMENTS.filter((entry) => !SKIPPED.includes(entry));
const WORDS = ['LoRA', 'model', 'ß', '😀', 'a b', ' ', '  ', '\n', '', 'term', 'x'];

/** Fills `parent` with random content; records each element's part in `parts`. Returns nodes made. */
function grow(document, parent, parts, random, budget, depth) {
  let made = 0;
  const count = Math.floor(random() * 6);
  for (let i = 0; i < count && made < budget; i++) {
    if (depth > 5 || random() < 0.4) {
      const words = Array.from({ length: Math.floor(random() * 3) }, () => WORDS[Math.floor(random() * WORDS.length)]);
      parent.appendChild(document.createTextNode(words.join('')));
      made++;
      continue;
    }
    // Skipped elements one time in eight, so that most of a page is read.
    const pool = random() < 0.125 ? SKIPPED : SHOWN;
    const [part, tag, attrs = {}] = pool[Math.floor(random() * pool.length)];
    const el = parent.appendChild(document.createElement(tag));
    for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
    parts.set(el, part);
    made++;
    if (part === 'details') {
      const summary = el.appendChild(document.createElement('summary'));
      parts.set(summary, 'block');
      made += 1 + grow(document, summary, parts, random, budget - made, depth + 1);
    }
    if (part !== 'break') made += grow(document, el, parts, random, budget - made, depth + 1);
    if (part === 'details') {
      // Everything in a closed <details> after its summary is hidden, a second summary too.
      for (const child of el.children) if (child !== el.firstElementChild) parts.set(child, 'skip');
    }
  }
  return made;
}

/** A random page and the options to read it with. */
function generate(page, random) {
  const { document, body } = page;
  body.textContent = '';
  const parts = new Map();
  const budget = 5 + Math.floor(random() * 700);
  for (let made = 0; made < budget;) made += grow(document, body, parts, random, budget - made, 0);
  const opts = { skipCode: random() < 0.5, host: body.querySelector('.host'), editors: new Set(body.querySelectorAll('.editor')) };
  for (const [el, part] of parts) if (part.startsWith('code ')) parts.set(el, opts.skipCode ? 'skip' : part.slice(5));
  // Only the first .host is the extension's host; others are plain blocks.
  for (const [el, part] of parts) if (part === 'host') parts.set(el, el === opts.host ? 'skip' : 'block');
  return { parts, opts };
}

/**
 * The reference reader: recursion over the recorded parts instead of classify and a stack.
 * Also counts the nodes the walk looks at (each child of the root and of every element read).
 */
function reference(root, parts) {
  const out = [];
  let visited = 0;
  let text = '';
  let nodes = [];
  const flush = (owner) => {
    if (nodes.length && /\S/.test(text)) out.push({ text, nodes, owner });
    text = '';
    nodes = [];
  };
  const visit = (parent, owner) => {
    for (const child of parent.childNodes) {
      visited++;
      if (child.nodeType === child.TEXT_NODE) {
        const hidden = parts.get(parent) === 'details' && !parent.open;
        if (child.data && !hidden) {
          nodes.push(child);
          text += child.data;
        }
        continue;
      }
      const part = parts.get(child);
      if (part === 'inline') visit(child, owner);
      else if (part === 'break') flush(owner);
      else if (part === 'block' || part === 'details') {
        flush(owner);
        visit(child, child);
        flush(child);
      }
    }
  };
  visit(root, root);
  flush(root);
  return { segs: out, visited };
}

/**
 * The reference for rescanRootOf: null below anything skipped, else the nearest block (or the
 * body). A breaking element counts as its parent. What sits directly in a closed <details>, but
 * for its first summary, is never read, so a change there gives null too.
 */
function referenceRoot(node, parts, body) {
  const parent = node.parentElement;
  if (parent.localName === 'details' && !parent.open && parent.querySelector(':scope > summary') !== node) return null;
  let el = node.nodeType === node.ELEMENT_NODE ? node : node.parentElement;
  if (['br', 'img', 'hr'].includes(el.localName)) el = el.parentElement;
  let root = null;
  for (let cur = el; cur !== body; cur = cur.parentElement) {
    const part = parts.get(cur);
    if (part === 'skip' || part === 'break') return null;
    if (!root && part !== 'inline') root = cur;
  }
  return root || body;
}

test('segments: generated pages read as the reference reader reads them, nulls and all', (t) => {
  const random = seededRandom(SEED);
  const page = pageWith('');
  let pages = 0;
  let segCount = 0;
  let nulls = 0;
  for (; pages < 20; pages++) {
    const { parts, opts } = generate(page, random);
    const all = [...page.reader.segments(page.body, opts)];
    const { segs: want, visited } = reference(page.body, parts);
    const pageNulls = all.filter((seg) => seg === null).length;
    // A null after every 200th node looked at, skipped ones included (NODES_PER_CHECK).
    assert.strictEqual(pageNulls, Math.floor(visited / 200), `page ${pages}`);
    nulls += pageNulls;
    const got = all.filter((seg) => seg !== null);
    const show = (segs) => segs.map((seg) => [seg.text, seg.owner.localName]);
    if (!isDeepStrictEqual(show(got), show(want))) {
      assert.deepStrictEqual(show(got), show(want), `page ${pages}: ${page.body.innerHTML}`);
    }
    got.forEach((seg, i) => {
      assert.ok(seg.nodes.every((n, j) => n === want[i].nodes[j]) && seg.nodes.length === want[i].nodes.length);
      assert.strictEqual(seg.owner, want[i].owner);
      assert.ok(page.reader.segmentIntact(seg));
      // Every character's position lands on the node holding it.
      for (let offset = 0; offset < seg.text.length; offset++) {
        const [index, inNode] = page.reader.locate(seg, offset, false);
        assert.strictEqual(seg.nodes[index].data[inNode], seg.text[offset]);
      }
    });
    segCount += got.length;
  }
  t.diagnostic(`${segCount} segments, ${nulls} nulls over ${pages} pages`);
  assert.ok(segCount > 100, `${segCount} segments, ${nulls} nulls over ${pages} pages`);
});

test('rescanRootOf: for every node of generated pages, as the reference says', (t) => {
  const random = seededRandom(SEED + 1);
  const page = pageWith('');
  let checked = 0;
  for (let round = 0; round < 6; round++) {
    const { parts, opts } = generate(page, random);
    const walker = page.document.createTreeWalker(page.body);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const want = referenceRoot(node, parts, page.body);
      const got = page.reader.rescanRootOf(node, opts);
      if (got !== want) assert.strictEqual(got, want, `round ${round}: ${node.nodeName} in ${node.parentElement.outerHTML}`);
      checked++;
    }
  }
  t.diagnostic(`${checked} nodes`);
  assert.ok(checked > 500, `${checked} nodes`);
});
