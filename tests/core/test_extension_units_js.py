"""The extension's pure logic under Node, one `node --test` run per file in tests/js:
units.test.js (the match cache, the cutting of texts into requests, settings sanitizing) and the
content scripts' page reading in a jsdom page (blockreader.test.js, blockreader_generated.test.js,
visible.test.js). Fast (no browser), so they run in `make test-fast`."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from support.node_matcher import node_path

JS_TESTS = Path(__file__).resolve().parent.parent / "js"
FILES = ["units.test.js", "blockreader.test.js", "blockreader_generated.test.js", "visible.test.js"]


@pytest.mark.parametrize("name", FILES)
def test_extension_units_under_node(name):
    test_file = JS_TESTS / name
    env = {"PATH": "/usr/bin:/bin"}
    if "TERMLIGHT_JS_SEED" in os.environ:  # replays a generated case a failure printed
        env["TERMLIGHT_JS_SEED"] = os.environ["TERMLIGHT_JS_SEED"]
    done = subprocess.run([node_path(), "--test", str(test_file)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    # Every top-level test( in the file ran and passed: none silently missing, at least one.
    declared = len(re.findall(r"^test\(", test_file.read_text(), re.M))
    passed = int(re.search(r"^# pass (\d+)$", done.stdout, re.M).group(1))
    assert declared > 0 and passed == declared and re.search(r"^# fail 0$", done.stdout, re.M), done.stdout[-1000:]


def test_every_js_test_file_is_run():
    # client.test.js and matcher.test.js have their own runners (test_client_js.py, test_matcher_js.py).
    own_runner = {"client.test.js", "matcher.test.js"}
    assert sorted(p.name for p in JS_TESTS.glob("*.test.js")) == sorted(FILES + list(own_runner))
