"""The extension's pure logic under Node (tests/js/units.test.js): the match cache, the cutting of
texts into requests, settings sanitizing. Fast (no browser), so it runs in `make test-fast`."""

import re
import subprocess
from pathlib import Path

from support.node_matcher import node_path

TEST = Path(__file__).resolve().parent.parent / "js" / "units.test.js"


def test_extension_units_under_node():
    done = subprocess.run([node_path(), "--test", str(TEST)], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    passed = int(re.search(r"# pass (\d+)", done.stdout).group(1))
    assert passed == len(re.findall(r"^test\(", TEST.read_text(), re.M)) and "# fail 0" in done.stdout, done.stdout[-1000:]
