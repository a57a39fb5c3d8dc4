"""The settings table (termlight.settings.TABLE) and everything derived from it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from termlight import settings
from termlight.cli import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_configuration_table_matches_the_declarations():
    text = README.read_text(encoding="utf-8")
    start = text.index("| Variable | Flag | Default | Meaning |")
    documented = text[start:text.index("\n\n", start)]
    assert documented == settings.markdown_table(), (
        "README's configuration table differs from termlight.settings.TABLE: "
        "paste the output of `python -m termlight.settings` into the README")


def test_the_readme_check_can_fail(monkeypatch):
    extra = settings.Setting("zzz", "TERMLIGHT_ZZZ", settings.text, "", "none", "a test")
    monkeypatch.setattr(settings, "TABLE", settings.TABLE + (extra,))
    with pytest.raises(AssertionError):
        test_readme_configuration_table_matches_the_declarations()


def test_every_setting_has_one_name_one_variable_and_documentation():
    assert len({s.name for s in settings.TABLE}) == len(settings.TABLE)
    assert len({s.env for s in settings.TABLE}) == len(settings.TABLE)
    for s in settings.TABLE:
        assert s.help and s.default_doc and "|" not in s.help + s.default_doc
        assert hasattr(settings.Settings.from_env({}), s.name)


def test_serve_flags_are_the_settings_with_a_flag():
    serve = build_parser()._subparsers._group_actions[0].choices["serve"]  # noqa: SLF001
    flags = {opt for action in serve._actions for opt in action.option_strings} - {"-h", "--help"}
    assert flags == {s.flag for s in settings.TABLE if s.flag}
    help_text = serve.format_help()
    for s in settings.TABLE:
        if s.flag:
            assert f"${s.env}" in help_text


def test_a_bad_flag_is_refused_by_the_same_check_as_its_variable(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--workers", "0"])
    assert "argument --workers: must be at least 1, not 0" in capsys.readouterr().err


@pytest.mark.parametrize("env, message", [
    ({"WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY must be at least 1, not 0"),
    ({"PORT": "99999"}, "PORT must be a port number"),
    ({"TERMLIGHT_BODY_TIMEOUT": "nan"}, "TERMLIGHT_BODY_TIMEOUT must not be negative"),
    ({"TERMLIGHT_CORS_ORIGINS": "https://x.example/"}, "TERMLIGHT_CORS_ORIGINS must list origins"),
])
def test_every_value_is_checked_with_a_message_naming_the_variable(env, message):
    with pytest.raises(settings.SettingsError, match=message):
        settings.Settings.from_env(env)


def test_one_setting_is_read_alone():
    # A broken unrelated setting does not stop the CLI or the cache from reading theirs.
    env = {"TERMLIGHT_MAX_BODY": "lots", "TERMLIGHT_GLOSSARY": "/g"}
    assert settings.value("glossary_path", env) == "/g"
    assert settings.value("cache_dir", {"XDG_CACHE_HOME": "/x"}) == "/x/termlight"


def test_overrides_are_parsed_like_the_environment(tmp_path):
    cfg = settings.Settings.from_config(
        {"cors_origins": ["https://a.example"], "tokens": "t1, t2", "state_dir": tmp_path,
         "max_texts": 3}, env={})
    assert cfg.cors_origins == ("https://a.example",) and cfg.tokens == ("t1", "t2")
    assert cfg.state_dir == str(tmp_path) and cfg.max_texts == 3
    with pytest.raises(settings.SettingsError, match="unknown setting"):
        settings.Settings.from_config({"nope": 1}, env={})
    with pytest.raises(settings.SettingsError, match="TERMLIGHT_CORS_ORIGINS"):
        settings.Settings.from_config({"cors_origins": ["*"]}, env={})


def test_cli_glossary_default_comes_from_the_setting(tmp_path, monkeypatch, capsys):
    from termlight.cli import main

    monkeypatch.setenv("TERMLIGHT_GLOSSARY", str(tmp_path / "missing.json"))
    assert main(["terms"]) == 1
    assert "missing.json" in capsys.readouterr().err


@pytest.mark.parametrize("name, value, message", [
    ("TERMLIGHT_MAX_BODY", "huge", "termlight: TERMLIGHT_MAX_BODY must be a whole number, not 'huge'"),
    ("WEB_CONCURRENCY", "-2", "termlight: WEB_CONCURRENCY must be at least 1, not -2"),
])
def test_gunicorn_config_refuses_bad_settings_in_one_line(name, value, message):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TERMLIGHT_")}
    env.update({name: value, "PYTHONWARNINGS": "ignore"})
    code = "import termlight.service.gunicorn_conf"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip() == message
