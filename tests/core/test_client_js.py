"""The extension worker's match client under Node, against a fake server (tests/js/client.test.js):
no batch lost across a glossary version change, the context rule over a request's texts with
cached ones counting, ETag revalidation."""

import subprocess
from pathlib import Path

from support.node_matcher import node_path

TEST = Path(__file__).resolve().parent.parent / "js" / "client.test.js"


def test_match_client_under_node():
    done = subprocess.run([node_path(), "--test", str(TEST)], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# pass 4" in done.stdout and "# fail 0" in done.stdout, done.stdout[-1000:]
