"""Takes the README's screenshot: the popover over a real article (docs/popover.png).

    .venv/bin/python -m tests.extension.screenshot ARTICLE.html [--term TEXT] [--out docs/popover.png]

Serves the article's folder and the bundled glossary on loopback, loads the page in Chromium
with the extension, hovers the first drawn occurrence of TEXT and captures the area around
the card. Requests to anything but loopback are aborted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
if __package__ in (None, ""):
    __package__ = "extension"

from support.server import run_server  # noqa: E402

from support.browser import loopback_only  # noqa: E402

from .harness import ExtensionBrowser, PageServer, popover, wait_for_highlights  # noqa: E402

JS_SCROLL_TO = """(text) => {
  // The first occurrence in running prose (a <p>), not in a table of contents or a heading.
  for (const r of CSS.highlights.get('termlight')) {
    const x = document.createRange();
    x.setStart(r.startContainer, r.startOffset); x.setEnd(r.endContainer, r.endOffset);
    const para = r.startContainer.parentElement.closest('p');
    if (x.toString() === text && para && !r.startContainer.parentElement.closest('a, nav')) {
      para.scrollIntoView({block: 'center'});
      const b = x.getClientRects()[0];
      return {x: b.left, y: b.top, w: b.width, h: b.height};
    }
  }
  return null;
}"""


def take(article: Path, term: str, out: Path, list_terms: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    article = article.resolve()
    with run_server(None) as server, PageServer(article.parent) as pages, sync_playwright() as p:
        browser = ExtensionBrowser(p, viewport={"width": 1100, "height": 720})
        try:
            browser.set_settings({"serverUrl": server.url})
            page = browser.context.new_page()
            page.route("**/*", loopback_only)
            page.goto(f"{pages.url}/{article.name}")
            texts = wait_for_highlights(page, minimum=10, timeout=30000)
            if list_terms:
                print(sorted(set(texts)))
                return
            r = page.evaluate(JS_SCROLL_TO, term)
            if not r:
                raise SystemExit(f"{term!r} is not highlighted in a paragraph of the page")
            page.wait_for_timeout(300)
            page.mouse.move(r["x"] + r["w"] / 2, r["y"] + r["h"] / 2, steps=5)
            page.wait_for_timeout(900)
            card = popover(page)
            if not card or not card["open"]:
                raise SystemExit("the popover did not open")
            box = card["rect"]
            top = max(0, min(r["y"], box["y"]) - 120)
            bottom = min(720, max(r["y"] + r["h"], box["y"] + box["h"]) + 60)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), clip={"x": 0, "y": top, "width": 1100, "height": bottom - top})
            print(f"wrote {out}: {card['term']!r}")
        finally:
            browser.close()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("article", type=Path)
    ap.add_argument("--term", default="tensor parallelism")
    ap.add_argument("--out", type=Path, default=Path("docs/popover.png"))
    ap.add_argument("--list", action="store_true", help="only print the drawn terms")
    args = ap.parse_args(argv)
    take(args.article, args.term, args.out, args.list)


if __name__ == "__main__":
    main()
