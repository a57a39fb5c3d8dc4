"""A plain, non-editable install carries the bundled glossary and works from any directory."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.external
def test_wheel_install_serves_the_bundled_glossary(tmp_path):
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = wheels.glob("termlight-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    probe = (
        "import termlight, termlight.cli, sys; "
        "assert termlight.__file__.startswith(sys.argv[1]), termlight.__file__; "
        "sys.argv = ['termlight', 'match', '-']; termlight.cli.main()"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(target)], input="We fine-tuned an LLM with LoRA.", capture_output=True,
        text=True, cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert '"term_id": "lora"' in out.stdout and '"glossary": "ai"' in out.stdout
    # What the README's server install relies on: `bundled` names the copy inside the package, and
    # the pages, the favicon and the glossary schema are installed with it.
    probe = (
        "import sys, pathlib, termlight.settings as s; "
        "bundled = s.glossary_list('bundled'); assert bundled.startswith(sys.argv[1]), bundled; "
        "pkg = pathlib.Path(sys.argv[1]) / 'termlight'; "
        "missing = [f for f in ('schema/glossary.json', 'web/favicon.ico', 'web/docs.html', 'web/assets/docs.js') "
        "if not (pkg / f).is_file()]; assert not missing, missing"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(target)], capture_output=True, text=True,
                         cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
