"""Issue 6, item 6: a lint that fails the build if the home page or the extension could turn
server data into markup or code.

The script rules (innerHTML, outerHTML, insertAdjacentHTML, document.write, eval, new
Function, string timers, ...) live in one place, tests/extension/test_static.py, which already
applies them to extension/; this file applies the same rules to the home page and /docs
(server/termlight/web), and adds HTML rules for both trees: no inline script, no inline event
handler attribute, no javascript: URL. The pages' Content-Security-Policy forbids those too,
but a policy is a second line, not a reason to write them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from extension.test_static import FORBIDDEN, strip_comments

REPO = Path(__file__).resolve().parents[2]
WEB_DIR = REPO / "server" / "termlight" / "web"
EXTENSION_DIR = REPO / "extension"

HTML_RULES = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I),
    "inline event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
}
# Script rules beyond the shared ones: handlers and URLs assigned from strings.
EXTRA_SCRIPT_RULES = {
    "event handler set as a string attribute": re.compile(r"""setAttribute\(\s*['"]on""", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def script_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.js") if "tools" not in p.parts)


def html_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "tools" not in p.parts)


def lint(root: Path, script_rules: dict) -> list[str]:
    problems = []
    for path in script_files(root) + html_files(root):
        text = path.read_text(encoding="utf-8")
        code = strip_comments(text) if path.suffix == ".js" else re.sub(r"<!--.*?-->", "", text, flags=re.S)
        rules = dict(script_rules) if path.suffix == ".js" else dict(HTML_RULES)
        for name, pattern in rules.items():
            for m in pattern.finditer(code):
                line = code.count("\n", 0, m.start()) + 1
                problems.append(f"{path.relative_to(root)}:{line}: {name}")
    return problems


def test_home_page_and_docs_use_no_html_sinks():
    assert len(script_files(WEB_DIR)) >= 3 and len(html_files(WEB_DIR)) >= 2
    assert lint(WEB_DIR, {**FORBIDDEN, **EXTRA_SCRIPT_RULES}) == []


def test_extension_html_and_handlers():
    """The shared script rules already run on extension/ (test_static.py); these are the rest."""
    assert len(html_files(EXTENSION_DIR)) >= 2
    assert lint(EXTENSION_DIR, EXTRA_SCRIPT_RULES) == []


def test_the_lint_fails_on_planted_sinks(tmp_path):
    """Every rule fires on a copy of the real pages with one sink planted in each way."""
    copy = tmp_path / "web"
    shutil.copytree(WEB_DIR, copy)
    assert lint(copy, {**FORBIDDEN, **EXTRA_SCRIPT_RULES}) == []
    home = copy / "assets" / "home.js"
    planted = {
        "innerHTML": "el.innerHTML = term.definition;",
        "outerHTML": "el.outerHTML = html;",
        "insertAdjacentHTML": "list.insertAdjacentHTML('beforeend', row);",
        "document.write": "document.write(term.term);",
        "eval": "const x = eval(body);",
        "new Function": "const f = new Function('t', body);",
        "string timer": "setTimeout('show(' + id + ')', 10);",
        "event handler set as a string attribute": "a.setAttribute('onclick', code);",
        "javascript: URL": "a.href = 'javascript:' + code;",
    }
    original = home.read_text(encoding="utf-8")
    for name, line in planted.items():
        home.write_text(original + "\n" + line + "\n", encoding="utf-8")
        found = lint(copy, {**FORBIDDEN, **EXTRA_SCRIPT_RULES})
        assert any(f.endswith(name) for f in found), (name, found)
    home.write_text(original, encoding="utf-8")
    page = copy / "index.html"
    html = page.read_text(encoding="utf-8")
    for name, snippet in {"inline script": "<script>alert(1)</script>",
                          "inline event handler": '<img src="x.png" onerror="alert(1)">',
                          "javascript: URL": '<a href="javascript:alert(1)">x</a>'}.items():
        page.write_text(html.replace("</body>", snippet + "</body>"), encoding="utf-8")
        found = lint(copy, {})
        assert any(f.endswith(name) for f in found), (name, found)
    # Comments do not count, and ordinary words that contain the names do not either.
    home.write_text(original + "\n// never use innerHTML here\nconst retrieval = 1;\n", encoding="utf-8")
    page.write_text(html, encoding="utf-8")
    assert lint(copy, {**FORBIDDEN, **EXTRA_SCRIPT_RULES}) == []
