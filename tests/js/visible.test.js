// Unit tests of the extension's visibility and editability rules (extension/content/visible.js)
// under Node, in a real DOM without layout (jsdom, see extension_page.js). Run by
// tests/core/test_extension_units_js.py (node --test).
//
// jsdom has no checkVisibility, so hiddenByStyle takes its fallback (display, visibility,
// content-visibility, opacity from the computed style), which is what is tested here. Left to the
// Chromium tests in tests/extension (test_visible_only.py, test_page_attacks.py): everything that
// needs boxes (sr-only clipping, clip: rect(0 0 0 0), clip-path on positioned boxes, off-page
// positions; jsdom's boxes are all zero), checkVisibility itself, -webkit-user-modify (jsdom drops
// it), isContentEditable inherited from an ancestor, and editorRoots' search from hidden textareas.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { pageWith } = require('./extension_page.js');

test('hiddenByStyle: display, visibility, content-visibility, opacity, font size and text indent', () => {
  const { document, window, visible } = pageWith(`<p id="plain">x</p><span id="inline">x</span>
    <p id="none" style="display:none">x</p><p id="hidden" style="visibility:hidden">x</p>
    <p id="collapse" style="visibility:collapse">x</p><div style="visibility:hidden"><p id="inherits">x</p>
    <p id="shown-again" style="visibility:visible">x</p></div><p id="cv" style="content-visibility:hidden">x</p>
    <p id="transparent" style="opacity:0">x</p><p id="faint" style="opacity:0.01">x</p>
    <p id="zero-font" style="font-size:0">x</p><p id="small-font" style="font-size:1px">x</p>
    <p id="indented" style="text-indent:-9999px">x</p><p id="hanging" style="text-indent:-2em">x</p>
    <span id="inline-indent" style="text-indent:-9999px">x</span><div id="styled" class="gone">x</div>
    <style>.gone { display: none }</style>`);
  const hidden = (id) => {
    const el = document.getElementById(id);
    return visible.hiddenByStyle(el, window.getComputedStyle(el));
  };
  const answers = Object.fromEntries(['plain', 'inline', 'none', 'hidden', 'collapse', 'inherits', 'shown-again', 'cv',
    'transparent', 'faint', 'zero-font', 'small-font', 'indented', 'hanging', 'inline-indent', 'styled'].map((id) => [id, hidden(id)]));
  assert.deepStrictEqual(answers, {
    plain: false, inline: false, none: true, hidden: true, collapse: true, inherits: true, 'shown-again': false, cv: true,
    transparent: true, faint: false, 'zero-font': true, 'small-font': false, indented: true, hanging: false,
    'inline-indent': false, styled: true,
  });
});

test('editable: contenteditable in any spelling but "false", and the text-box roles', () => {
  const { document, visible } = pageWith(`<div id="a" contenteditable>x</div><div id="b" contenteditable="true">x</div>
    <div id="c" contenteditable="TRUE">x</div><div id="d" contenteditable="plaintext-only">x</div>
    <div id="e" contenteditable="false">x</div><div id="f" contenteditable="False">x</div>
    <div id="g" role="textbox">x</div><div id="h" role=" SearchBox ">x</div><div id="i" role="combobox">x</div>
    <div id="j" role="button">x</div><div id="k" role="">x</div><div id="l">x</div>`);
  const answers = [...'abcdefghijkl'].map((id) => visible.editable(document.getElementById(id)));
  assert.deepStrictEqual(answers, [true, true, true, true, false, false, true, true, true, false, false, false]);
});

test('inClosedDetails: all of a closed <details> but its first summary; nothing of an open one', () => {
  const { document, visible } = pageWith(`<details id="closed">text<summary id="s1">s</summary><p id="p">x</p>
    <summary id="s2">second</summary></details><details id="open" open><summary id="s3">s</summary><p id="q">x</p></details>
    <p id="outside">x</p>`);
  const byId = (id) => document.getElementById(id);
  const closed = byId('closed');
  assert.strictEqual(visible.inClosedDetails(closed.firstChild), true, 'text directly in it');
  assert.deepStrictEqual(['s1', 'p', 's2', 's3', 'q', 'outside', 'closed'].map((id) => visible.inClosedDetails(byId(id))),
    [false, true, true, false, false, false, false]);
  // Only a direct child is judged: deeper content is hidden through its hidden ancestor.
  assert.strictEqual(visible.inClosedDetails(byId('p').firstChild), false);
  closed.open = true;
  assert.deepStrictEqual(['p', 's2'].map((id) => visible.inClosedDetails(byId(id))), [false, false]);
});

test('editorRoots: the known code editors are found by class', () => {
  const { document, visible } = pageWith(`<div id="monaco" class="monaco-editor">a</div><div id="ace" class="x ace_editor">b</div>
    <div id="cm5" class="CodeMirror">c</div><div id="cm6" class="cm-editor"><div class="cm-content">d</div></div>
    <div id="plain" class="editor">e</div>`);
  const ids = [...visible.editorRoots(document)].map((el) => el.id).sort();
  assert.deepStrictEqual(ids, ['ace', 'cm5', 'cm6', 'monaco']);
  assert.strictEqual(visible.editorRoots(pageWith('<p>prose</p>').document).size, 0);
});
