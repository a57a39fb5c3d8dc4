/*
 * Reading the page: turns the DOM into "segments", runs of text that a reader sees as one
 * piece of prose, each with a map from positions in its text back to DOM text nodes.
 *
 * Within a block the text of inline children is joined, so "large <em>language</em> model"
 * is one string and a term split across elements is still found. Text of different blocks is
 * never joined: a block boundary (a <p>, a <div>, a <br>, an image...) always ends a segment,
 * so a heading and the paragraph below it cannot run together into a false match.
 *
 * Whole subtrees are skipped when they are not prose, not visible or not ours to read:
 * scripts and styles, form fields (never send what people type), anything editable and code
 * editors, code and pre (a setting; but a plain-text document, which the browser shows as one
 * <pre> in an otherwise empty page, is prose), hidden text of every kind (see visible.js), and
 * the extension's own UI host.
 *
 * Reading only calls getComputedStyle and never writes to the DOM.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});
  const { hiddenByStyle, editable, inClosedDetails } = ns.visible;

  const SKIP = 0;
  const INLINE = 1;
  const BLOCK = 2;
  const BREAK = 3;

  const SKIP_TAGS = new Set([
    'script', 'style', 'noscript', 'template', 'textarea', 'input', 'select', 'option', 'optgroup',
    'datalist', 'button', 'iframe', 'frame', 'frameset', 'object', 'embed', 'canvas', 'svg', 'math',
    'video', 'audio', 'picture', 'head', 'title', 'meta', 'link', 'base',
  ]);
  const CODE_TAGS = new Set(['code', 'pre', 'kbd', 'samp', 'tt']);
  const BREAK_TAGS = new Set(['br', 'hr', 'img', 'area', 'meter', 'progress']);
  const INLINE_DISPLAYS = new Set(['inline', 'contents', 'ruby', 'ruby-base', 'ruby-text', 'ruby-base-container', 'ruby-text-container']);

  /** Give the main loop a chance to look at the clock this often, even inside skipped-heavy trees. */
  const NODES_PER_CHECK = 200;

  /** The <pre> in which the browser shows a text/plain document (a .txt file): prose, not code. */
  function plainTextViewer(el) {
    const doc = el.ownerDocument;
    return el.localName === 'pre' && doc.contentType === 'text/plain' && el.parentElement === doc.body;
  }

  /** How one element takes part in reading: skipped, joined inline, a block, or a hard break. */
  function classify(el, opts) {
    const tag = el.localName;
    if (SKIP_TAGS.has(tag)) return SKIP;
    if (opts.host && el === opts.host) return SKIP;
    if (opts.skipCode && CODE_TAGS.has(tag) && !plainTextViewer(el)) return SKIP;
    if (el.hidden || inClosedDetails(el)) return SKIP;
    if (opts.editors && opts.editors.has(el)) return SKIP;
    if (editable(el)) return SKIP;
    if (BREAK_TAGS.has(tag)) return BREAK;
    const style = getComputedStyle(el);
    if (hiddenByStyle(el, style)) return SKIP;
    return INLINE_DISPLAYS.has(style.display) ? INLINE : BLOCK;
  }

  /** True when the page (or this element's document) is editable as a whole. */
  function documentEditable(doc) {
    return String(doc.designMode).toLowerCase() === 'on';
  }

  /**
   * The element whose subtree must be read again when `node` changed: its nearest block
   * ancestor. Returns null when the node sits somewhere never read (an editable area, code,
   * a hidden subtree, our own UI) or outside the body.
   */
  function rescanRootOf(node, opts) {
    const body = node.ownerDocument && node.ownerDocument.body;
    if (!body || !node.isConnected || !body.contains(node)) return null;
    if (inClosedDetails(node)) return null; // text, a <br> or an <img> straight in a closed <details>
    let el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    if (el && el !== body && BREAK_TAGS.has(el.localName)) el = el.parentElement; // an added <br> or <img>
    if (el && typeof el.checkVisibility === 'function' && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) {
      return null;
    }
    let root = null;
    for (let cur = el; cur && cur !== body; cur = cur.parentElement) {
      const kind = classify(cur, opts);
      if (kind === SKIP || kind === BREAK) return null;
      if (!root && kind === BLOCK) root = cur;
    }
    return root || body;
  }

  /**
   * Walks `root`'s subtree and yields segments `{text, nodes, starts, owner}`: `nodes[i]`'s
   * text begins at `starts[i]` in `text`, and `owner` is the block element the text lives in.
   * Yields `null` now and then so a caller can check its time budget and pause; the walk
   * picks up where it stopped.
   */
  function* segments(root, opts) {
    const blocks = [root];
    let text = '';
    let nodes = [];
    let starts = [];
    let seen = 0;

    const take = () => {
      const seg = nodes.length && /\S/.test(text) ? { text, nodes, starts, owner: blocks[blocks.length - 1] } : null;
      text = '';
      nodes = [];
      starts = [];
      return seg;
    };

    let node = root.firstChild;
    while (node) {
      if (++seen % NODES_PER_CHECK === 0) yield null;
      const type = node.nodeType;
      if (type === Node.TEXT_NODE) {
        const data = node.data;
        if (data.length && !inClosedDetails(node)) {
          nodes.push(node);
          starts.push(text.length);
          text += data;
        }
      } else if (type === Node.ELEMENT_NODE) {
        const kind = classify(node, opts);
        if (kind === INLINE && node.firstChild) {
          node = node.firstChild;
          continue;
        }
        if (kind === BLOCK || kind === BREAK) {
          const seg = take();
          if (seg) yield seg;
          if (kind === BLOCK && node.firstChild) {
            blocks.push(node);
            node = node.firstChild;
            continue;
          }
        }
      }
      // This node is done: move to its next sibling, closing every block we climb out of.
      while (node && !node.nextSibling) {
        node = node.parentNode;
        if (!node || node === root) {
          node = null;
          break;
        }
        if (blocks[blocks.length - 1] === node) {
          const seg = take();
          if (seg) yield seg;
          blocks.pop();
        }
      }
      if (node) node = node.nextSibling;
    }
    const last = take();
    if (last) yield last;
  }

  /**
   * The DOM position of UTF-16 offset `offset` in a segment. An end position that falls exactly
   * between two nodes is placed at the end of the earlier one, so a range never starts or ends
   * in a node it does not cover. Returns [nodeIndex, offsetInNode].
   */
  function locate(seg, offset, isEnd) {
    const starts = seg.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const s = starts[mid];
      if (s < offset || (!isEnd && s === offset)) lo = mid;
      else hi = mid - 1;
    }
    return [lo, offset - starts[lo]];
  }

  /** Whether a segment still reads as it did when it was collected (the page may have changed since). */
  function segmentIntact(seg) {
    let pos = 0;
    for (let i = 0; i < seg.nodes.length; i++) {
      const n = seg.nodes[i];
      if (!n.isConnected || seg.starts[i] !== pos) return false;
      const part = n.data;
      if (!seg.text.startsWith(part, pos)) return false;
      pos += part.length;
    }
    return pos === seg.text.length;
  }

  ns.blockReader = Object.freeze({ SKIP, INLINE, BLOCK, BREAK, classify, documentEditable, rescanRootOf, segments, locate, segmentIntact });
})();
