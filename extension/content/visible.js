/*
 * What is visibly read, and never what is typed: the rules blockreader.js applies to each element
 * before its text may be sent.
 *
 * Typed or editable: anything the browser lets the person edit (isContentEditable, and the
 * computed -webkit-user-modify: read-write, which isContentEditable misses in Chromium 156),
 * role=textbox/searchbox/combobox, and the whole
 * subtree of a code editor. Editors such as Monaco, Ace and CodeMirror 5 take keystrokes in a
 * hidden textarea and mirror the text into ordinary divs; the editor root is found from that
 * textarea (its nearest ancestor with a real size), plus the well-known root classes.
 *
 * Hidden: opacity 0, visibility hidden, font-size 0, boxes of (almost) no size that clip their
 * content (the "sr-only" pattern), clip / clip-path that cut everything away, positioned boxes
 * placed off the page (left: -9999px) or text pushed out by a huge negative text-indent, and the
 * content of a closed <details> other than its <summary>.
 *
 * Everything here only reads computed styles and boxes; nothing is written to the page.
 */
(() => {
  'use strict';

  const ns = (globalThis.termlight = globalThis.termlight || {});

  const TEXTBOX_ROLES = new Set(['textbox', 'searchbox', 'combobox']);
  const EDITOR_ROOT_SELECTOR = '.monaco-editor, .ace_editor, .CodeMirror, .cm-editor';
  const TINY_PX = 2;

  /**
   * Whether a box shows none of its content: a (nearly) zero-size box that clips (the sr-only
   * pattern), a clip or clip-path that cuts everything away, or a positioned box placed off the
   * page. Reads the few properties the common case needs first (computed-style reads cost about
   * a microsecond each, and a page has thousands of elements).
   */
  function tinyClippedBox(el, style) {
    const positioned = style.position === 'absolute' || style.position === 'fixed';
    const clips = style.overflowX !== 'visible' || style.overflowY !== 'visible';
    if (!positioned && !clips) return false;
    if (positioned && /^inset\(\s*(50|100)%/.test(style.clipPath)) return true;
    const clipped = positioned && style.clip !== 'auto' && style.clip !== '';
    if (clipped && /rect\(\s*0(px)?[ ,]+0(px)?[ ,]+0(px)?[ ,]+0(px)?\s*\)/.test(style.clip)) return true;
    const r = el.getBoundingClientRect();
    if ((clips || clipped) && (r.width <= TINY_PX || r.height <= TINY_PX)) return true;
    // Placed off the page: nothing of it can be scrolled into view.
    return positioned && (r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0);
  }

  /**
   * Whether an element's own rendering hides its text from a reader, or makes it a typing
   * surface (its ancestors were checked on the way down). `style` is its computed style.
   * checkVisibility() answers display, visibility, content-visibility and opacity natively.
   */
  function hiddenByStyle(el, style) {
    if (typeof el.checkVisibility === 'function') {
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return true;
    } else if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse'
      || style.contentVisibility === 'hidden' || Number.parseFloat(style.opacity) === 0) {
      return true;
    }
    if (style.fontSize === '0px') return true;
    // Not hidden but typed into: -webkit-user-modify makes any element editable, and
    // Chromium's isContentEditable does not report it.
    if (String(style.getPropertyValue('-webkit-user-modify')).startsWith('read-write')) return true;
    if (style.display !== 'inline' && Number.parseFloat(style.textIndent) < -999) return true;
    return tinyClippedBox(el, style);
  }

  /** Whether the person can type into this element or it is a text box to assistive tech. */
  function editable(el) {
    const attr = el.getAttribute('contenteditable');
    if (attr !== null && attr.toLowerCase() !== 'false') return true;
    if (el.isContentEditable) return true;
    const role = el.getAttribute('role');
    return !!role && TEXTBOX_ROLES.has(role.trim().toLowerCase());
  }

  /** An element is inside a closed <details> and is not its summary: not rendered. */
  function inClosedDetails(node) {
    const parent = node.parentElement;
    if (!parent || parent.localName !== 'details' || parent.open) return false;
    return !(node.nodeType === Node.ELEMENT_NODE && node.localName === 'summary' && parent.querySelector(':scope > summary') === node);
  }

  /** A textarea that takes keystrokes without showing them: an editor's input surface. */
  function hiddenInput(area) {
    const style = getComputedStyle(area);
    if (Number.parseFloat(style.opacity) === 0 || style.fontSize === '0px' || style.visibility === 'hidden') return true;
    const r = area.getBoundingClientRect();
    return r.width <= TINY_PX || r.height <= TINY_PX || r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0;
  }

  /**
   * The roots of code editors on the page: the well-known ones by class, and for any hidden
   * textarea the nearest ancestor with a real size (the box the editor draws its text in).
   */
  function editorRoots(doc) {
    const roots = new Set(doc.querySelectorAll(EDITOR_ROOT_SELECTOR));
    for (const area of doc.querySelectorAll('textarea')) {
      if (!hiddenInput(area)) continue;
      let cur = area.parentElement;
      while (cur && cur !== doc.body) {
        const r = cur.getBoundingClientRect();
        if (r.width > TINY_PX * 4 && r.height > TINY_PX * 4) break;
        cur = cur.parentElement;
      }
      if (cur && cur !== doc.body && cur !== doc.documentElement) roots.add(cur);
    }
    return roots;
  }

  ns.visible = Object.freeze({ hiddenByStyle, editable, inClosedDetails, editorRoots });
})();
