"""Every code block in the README is run, checked, or marked illustrative on purpose.

Each fenced block must follow a marker line, an HTML comment that GitHub does not show:

    <!-- readme-test: KIND ... -->

``illustrative (why)`` says the block is not a complete file or command (a fragment, a command
that needs root, an example of output); any other marker names one of the HANDLERS below, which
runs or checks the block as it is written. A new block without a marker fails
``test_every_block_is_marked``: add a handler here, or mark it illustrative with the reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.server import run_server

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
MARKER = re.compile(r"<!-- readme-test: (.+?) -->")
ILLUSTRATIVE = "illustrative ("


@dataclass
class Block:
    marker: str | None
    lang: str
    text: str
    line: int


def readme_blocks(text: str) -> list[Block]:
    blocks, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        fence = re.match(r"^(```+)(\S*)\s*$", lines[i])
        if not fence:
            i += 1
            continue
        start, end = i, i + 1
        while not lines[end].startswith(fence.group(1)):
            end += 1
        marked = MARKER.fullmatch(lines[start - 1].strip()) if start else None
        blocks.append(Block(marked.group(1) if marked else None, fence.group(2),
                            "\n".join(lines[start + 1:end]) + "\n", start + 1))
        i = end + 1
    return blocks


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))


def shell_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TERMLIGHT_")
           and k not in ("PORT", "WEB_CONCURRENCY")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def bash(script: str, cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.loads(resp.read())


def serve_until_healthy(command: str, env: dict[str, str], port: int, deadline_s: float = 180) -> dict:
    """Run a serving command from the repository, wait for /healthz, stop it; return /v1/glossaries."""
    proc = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + deadline_s
        while True:
            try:
                if get_json(f"http://127.0.0.1:{port}/healthz")["status"] == "ok":
                    return get_json(f"http://127.0.0.1:{port}/v1/glossaries")
            except OSError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, f"{command!r} did not serve within {deadline_s}s"
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --- handlers: one per marker ---------------------------------------------------------------

def make_serve(block: Block, tmp_path: Path) -> None:
    assert block.text.splitlines()[0].startswith("make serve ")
    port = free_port()
    glossaries = serve_until_healthy("make serve", shell_env(PORT=str(port)), port)
    assert [g["id"] for g in glossaries["glossaries"]] == ["ai"]


def make_serve_with_settings(block: Block, tmp_path: Path) -> None:
    first, second = block.text.splitlines()
    assert first == "PORT=8766 make serve"  # the same run as the block above, on port 8766
    (tmp_path / "team-glossary").mkdir()
    (tmp_path / "team-glossary" / "team.json").write_text(json.dumps(
        [{"term": "Kestrel", "definition": "Our project."}]))
    port = free_port()
    command = second.split("#")[0]
    glossaries = serve_until_healthy(command, shell_env(PORT=str(port), HOME=str(tmp_path)), port)
    assert [g["id"] for g in glossaries["glossaries"]] == ["ai", "team"]


def run_in_repository(block: Block, tmp_path: Path) -> None:
    out = bash(block.text, ROOT, shell_env(TERMLIGHT_CACHE_DIR=str(tmp_path / "cache")))
    assert out.returncode == 0, out.stdout + out.stderr
    assert '"term_id": "qlora"' in out.stdout and "ok: " in out.stdout


def glossary_file_then_check(block: Block, tmp_path: Path) -> None:
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "lora.json").write_text(block.text, encoding="utf-8")
    out = bash("termlight check glossary/", tmp_path, shell_env())
    assert out.returncode == 0, out.stdout + out.stderr


CSV_FILES: dict[str, str] = {}


def csv_file(block: Block, tmp_path: Path) -> None:
    CSV_FILES["terms.csv"] = block.text
    assert block.text.startswith("term,definition")


def run_with_terms_csv(block: Block, tmp_path: Path) -> None:
    csv_file(next(b for b in BLOCKS if b.marker == "file terms.csv"), tmp_path)
    (tmp_path / "terms.csv").write_text(CSV_FILES["terms.csv"], encoding="utf-8")
    out = bash(block.text, tmp_path, shell_env())
    assert out.returncode == 0, out.stdout + out.stderr
    written = json.loads((tmp_path / "glossary" / "mine.json").read_text())
    assert written["name"] == "My team" and len(written["terms"]) == 2
    assert (tmp_path / "mine-again.csv").read_text().startswith("id,term,definition")


def python_api(block: Block, tmp_path: Path) -> None:
    script = 'text = "We fine-tuned an open-weight LLM with QLoRA."\n' + block.text
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         env=shell_env(TERMLIGHT_CACHE_DIR=str(tmp_path / "cache")), timeout=120)
    assert out.returncode == 0, out.stderr


def curl_against_a_server(block: Block, tmp_path: Path) -> None:
    if not shutil.which("curl"):
        pytest.fail("curl is needed to run the README's curl examples")
    with run_server(None, workers=1) as srv:
        script = block.text.replace("localhost:8765", f"127.0.0.1:{srv.port}")
        assert script != block.text
        out = bash(script, tmp_path, shell_env(TERMLIGHT_API_TOKEN=""))
    assert out.returncode == 0, out.stderr
    answers = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert len(answers) == block.text.count("curl ")
    assert not any("type" in a and "status" in a and isinstance(a["status"], int) for a in answers), answers


def procfile(block: Block, tmp_path: Path) -> None:
    assert block.text == (ROOT / "Procfile").read_text(encoding="utf-8")


ACCESS_LINE = re.compile(r'^\S+ \[[^\]]+\] "[A-Z]+ \S+ HTTP/1\.[01]" \d{3} \d+ \d+ms <\d+>$')


def access_log_line(block: Block, tmp_path: Path) -> None:
    assert ACCESS_LINE.match(block.text.strip()), block.text
    with run_server(None, workers=1) as srv:
        srv.post_json("/v1/match", {"text": "readme"})
        deadline = time.monotonic() + 10
        while not any('"POST /v1/match' in line for line in srv.log().splitlines()):
            assert time.monotonic() < deadline, srv.log()
            time.sleep(0.05)
        [line] = [line for line in srv.log().splitlines() if '"POST /v1/match' in line]
    assert ACCESS_LINE.match(line), line


# Keys this unit may use, by section (systemd.unit(5), systemd.service(5), systemd.exec(5)).
SYSTEMD_KEYS = {
    "Unit": {"Description", "After", "Wants", "Requires"},
    "Service": {"User", "Group", "Environment", "EnvironmentFile", "ExecStart", "ExecReload",
                "Restart", "WorkingDirectory"},
    "Install": {"WantedBy"},
}


def systemd_problems(unit: str) -> list[str]:
    """systemd's own rules for what this unit uses: a comment is a line starting with # or ;,
    never the end of a value; EnvironmentFile is one absolute path; Exec lines start absolute."""
    problems, section = [], None
    for number, line in enumerate(unit.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        if re.fullmatch(r"\[\w+\]", stripped):
            section = stripped[1:-1]
            if section not in SYSTEMD_KEYS:
                problems.append(f"{number}: unknown section {section}")
            continue
        key, sep, value = stripped.partition("=")
        if not sep or section is None or key not in SYSTEMD_KEYS.get(section, ()):
            problems.append(f"{number}: {key!r} is not a key of [{section}] here")
            continue
        if re.search(r"\s[#;]", value):
            problems.append(f"{number}: a comment after a value becomes part of it: {value!r}")
        if key == "EnvironmentFile" and not re.fullmatch(r"-?/\S+", value):
            problems.append(f"{number}: EnvironmentFile must be one absolute path: {value!r}")
        if key.startswith("Exec") and not value.startswith("/"):
            problems.append(f"{number}: {key} must start with an absolute path")
        if key == "Environment" and not re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", value):
            problems.append(f"{number}: Environment must be NAME=value: {value!r}")
    return problems


def systemd_unit(block: Block, tmp_path: Path) -> None:
    assert systemd_problems(block.text) == []
    env = dict(re.findall(r"^Environment=([A-Z_]+)=(\S*)$", block.text, re.M))
    # The settings in the unit are ones termlight accepts (paths made to exist here).
    from termlight.settings import Settings
    (tmp_path / "glossary").mkdir()
    env["TERMLIGHT_GLOSSARY"] = env["TERMLIGHT_GLOSSARY"].replace("/srv/termlight/glossary", str(tmp_path / "glossary"))
    Settings.from_env(env)
    command = re.search(r"^ExecStart=/srv/termlight/\.venv/bin/termlight (.+)$", block.text, re.M).group(1)
    assert command == "serve"


def test_the_systemd_checker_catches_the_old_unit():
    old = "[Service]\nEnvironmentFile=/etc/termlight/env        # TERMLIGHT_API_TOKEN=...\n"
    assert systemd_problems(old) == [
        "2: a comment after a value becomes part of it: '/etc/termlight/env        # TERMLIGHT_API_TOKEN=...'",
        "2: EnvironmentFile must be one absolute path: '/etc/termlight/env        # TERMLIGHT_API_TOKEN=...'"]


def nginx_problems(conf: str) -> list[str]:
    """nginx's syntax (every directive ends with ';', braces balance) and what termlight needs."""
    problems, depth = [], 0
    for number, line in enumerate(conf.splitlines(), 1):
        code = line.split("#")[0].strip()
        if not code:
            continue
        depth += code.count("{") - code.count("}")
        if depth < 0:
            problems.append(f"{number}: unbalanced '}}'")
        if not code.endswith(("{", "}", ";")):
            problems.append(f"{number}: a directive must end with ';': {code!r}")
    if depth:
        problems.append("unbalanced braces")
    for needed in ("proxy_pass http://127.0.0.1:8765;",
                   "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                   "proxy_set_header X-Forwarded-Proto $scheme;", "client_max_body_size 5m;",
                   "listen 443 ssl;", "ssl_certificate ", "ssl_certificate_key "):
        if needed not in conf:
            problems.append(f"missing {needed.strip()!r}")
    return problems


def nginx_site(block: Block, tmp_path: Path) -> None:
    assert nginx_problems(block.text) == []
    assert nginx_problems("server {\n  proxy_pass http://127.0.0.1:8765\n}\n")  # the checker can fail


def extension_policy(block: Block, tmp_path: Path) -> None:
    """A Chrome or Firefox policy file: valid JSON whose termlight settings are what
    extension/managed_schema.json declares, with the declared types."""
    data = json.loads(block.text)
    third = data["3rdparty"]["extensions"] if "3rdparty" in data else data["policies"]["3rdparty"]["Extensions"]
    schema = json.loads((ROOT / "extension" / "managed_schema.json").read_text())["properties"]
    types = {"string": str, "boolean": bool, "array": list}
    for values in third.values():
        for key, value in values.items():
            assert key in schema, f"{key} is not in managed_schema.json"
            assert isinstance(value, types[schema[key]["type"]]), key
            assert value in schema[key].get("enum", [value]), key


HANDLERS = {
    "make serve (the test starts it on a free port; make test is what runs the tests)": make_serve,
    "make serve with settings (the test runs the second line, on a free port)": make_serve_with_settings,
    "run in the repository": run_in_repository,
    "file glossary/lora.json, then termlight check glossary/": glossary_file_then_check,
    "file terms.csv": csv_file,
    "run in a folder holding terms.csv": run_with_terms_csv,
    "python, with `text` set to a sentence": python_api,
    "curl against a real server (localhost:8765 becomes its address)": curl_against_a_server,
    "the Procfile, verbatim": procfile,
    "an access-log line (the test compares a real one with this shape)": access_log_line,
    "systemd unit": systemd_unit,
    "nginx site": nginx_site,
    "extension policy (its termlight settings are checked against extension/managed_schema.json)": extension_policy,
}


def test_every_block_is_marked():
    unmarked = [f"README.md:{b.line} ({b.lang or 'no language'})" for b in BLOCKS if b.marker is None]
    assert not unmarked, ("code blocks without a '<!-- readme-test: ... -->' line before them "
                          f"(see tests/core/test_readme.py): {unmarked}")
    unknown = [b.marker for b in BLOCKS if not b.marker.startswith(ILLUSTRATIVE) and b.marker not in HANDLERS]
    assert not unknown, f"markers with no handler in tests/core/test_readme.py: {unknown}"
    unused = set(HANDLERS) - {b.marker for b in BLOCKS}
    assert not unused, f"handlers whose README block is gone: {unused}"


def test_illustrative_blocks_say_why():
    for block in BLOCKS:
        if block.marker and block.marker.startswith(ILLUSTRATIVE):
            assert block.marker.endswith(")") and len(block.marker) > len(ILLUSTRATIVE) + 10, block.marker


# Tiers (see tests/conftest.py): these handlers start a server, or run make and pip.
SERVER = {make_serve, make_serve_with_settings, curl_against_a_server, access_log_line}
EXTERNAL = {run_in_repository}


def _param(block: Block):
    handler = HANDLERS[block.marker]
    marks = ([pytest.mark.server] if handler in SERVER else []) + \
            ([pytest.mark.external] if handler in EXTERNAL else [])
    return pytest.param(block, marks=marks, id=f"line{block.line}-{handler.__name__}")


@pytest.mark.parametrize("block", [_param(b) for b in BLOCKS if b.marker in HANDLERS])
def test_block(block, tmp_path):
    HANDLERS[block.marker](block, tmp_path)


def test_make_serve_installs_only_the_runtime_and_make_test_everything(tmp_path):
    def recipe(target: str) -> str:
        out = subprocess.run(["make", "-n", "-B", target, f"VENV={tmp_path / 'venv'}"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return out.stdout
    serve = recipe("serve")
    assert "pip install -q -e .\n" in serve and "[test" not in serve and "bench]" not in serve
    assert '-e ".[test,bench]"' in recipe("test")  # from scratch, make test installs the extras
