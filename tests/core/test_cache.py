"""The on-disk cache of compiled glossaries (termlight.cache): hits, misses, corruption, safety."""

import json
import logging
import stat

import pytest

from termlight import Glossary, GlossaryError
from termlight.cache import MAGIC, default_dir, load_cached

TERMS = [
    {"id": "llm", "term": "LLM", "aliases": ["Large Language Model", "大規模言語モデル"], "definition": "A model."},
    {"id": "ft", "term": "Fine-tuning", "definition": "Training more."},
    {"id": "cs", "term": "C#", "definition": "A language."},
    {"id": "c", "term": "C", "definition": "Another language."},
]
TEXT = "LLMs and large\u00a0language models; ﬁne—tuning in C# or C. 大規模言語モデルとは"


def write_glossary(path, terms=TERMS):
    path.write_text(json.dumps({"name": "Test", "terms": terms}, ensure_ascii=False), encoding="utf-8")
    return path


class CountingBuild:
    """The real loader, counting how often the cache had to fall back to it."""

    def __init__(self):
        self.calls = 0

    def __call__(self, path):
        self.calls += 1
        return Glossary.load(path)


def entries(folder):
    return sorted(folder.glob("*.pickle"))


def test_second_load_comes_from_the_cache_and_matches_alike(tmp_path):
    source = write_glossary(tmp_path / "g.json")
    cache = tmp_path / "cache"
    build = CountingBuild()
    first = load_cached(source, build, cache)
    second = load_cached(source, build, cache)
    assert build.calls == 1
    assert len(entries(cache)) == 1
    assert second is not first
    assert second.version == first.version
    assert second.terms == first.terms
    for unit in ("codepoint", "utf16", "utf8"):
        assert second.match(TEXT, offsets=unit) == first.match(TEXT, offsets=unit)
    assert [m.term_id for m in second.match(TEXT)] == ["llm", "llm", "ft", "cs", "c", "llm"]
    assert [t.id for t in second.search("large")] == ["llm"]


def test_glossary_load_with_cache_argument(tmp_path):
    source = write_glossary(tmp_path / "g.json")
    plain = Glossary.load(source)
    cached = Glossary.load(source, cache=tmp_path / "cache")
    again = Glossary.load(source, cache=tmp_path / "cache")
    assert plain.match(TEXT) == cached.match(TEXT) == again.match(TEXT)
    assert len(entries(tmp_path / "cache")) == 1


def test_an_edit_misses_the_cache_and_replaces_the_old_entry(tmp_path):
    source = write_glossary(tmp_path / "g.json")
    cache = tmp_path / "cache"
    build = CountingBuild()
    load_cached(source, build, cache)
    [old] = entries(cache)
    write_glossary(source, TERMS + [{"id": "rag", "term": "RAG", "definition": "Retrieval."}])
    edited = load_cached(source, build, cache)
    assert build.calls == 2
    assert "rag" in edited.terms
    assert entries(cache) != [old] and len(entries(cache)) == 1


def test_a_new_file_in_a_glossary_directory_misses_the_cache(tmp_path):
    folder = tmp_path / "glossaries"
    folder.mkdir()
    write_glossary(folder / "a.json")
    cache = tmp_path / "cache"
    build = CountingBuild()
    assert len(load_cached(folder, build, cache).glossaries) == 1
    write_glossary(folder / "b.json", [{"id": "rag", "term": "RAG", "definition": "Retrieval."}])
    assert len(load_cached(folder, build, cache).glossaries) == 2
    assert build.calls == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "foreign pickle"])
def test_a_damaged_entry_is_ignored_rebuilt_and_replaced(tmp_path, caplog, damage):
    source = write_glossary(tmp_path / "g.json")
    cache = tmp_path / "cache"
    build = CountingBuild()
    load_cached(source, build, cache)
    [entry] = entries(cache)
    data = entry.read_bytes()
    entry.write_bytes({
        "garbage": b"\x00not a pickle at all" * 50,
        "truncated": data[: len(data) // 2],
        "empty": b"",
        "foreign pickle": b"\x80\x05K\x01.",  # a valid pickle without the termlight header
    }[damage])
    with caplog.at_level(logging.WARNING, logger="termlight.cache"):
        glossary = load_cached(source, build, cache)
    assert build.calls == 2
    assert [m.term_id for m in glossary.match(TEXT)] == ["llm", "llm", "ft", "cs", "c", "llm"]
    assert "ignoring" in caplog.text and "cache entry" in caplog.text
    assert entry.read_bytes().startswith(MAGIC) and len(entry.read_bytes()) > len(data) // 2
    assert load_cached(source, build, cache).version == glossary.version
    assert build.calls == 2


def test_a_broken_glossary_is_not_cached(tmp_path):
    source = tmp_path / "g.json"
    source.write_text('{"terms": [{"term": "x"}]}', encoding="utf-8")
    cache = tmp_path / "cache"
    with pytest.raises(GlossaryError):
        Glossary.load(source, cache=cache)
    assert entries(cache) == []


def test_a_missing_glossary_raises_the_loaders_error(tmp_path):
    with pytest.raises(GlossaryError, match="no such file"):
        Glossary.load(tmp_path / "missing.json", cache=tmp_path / "cache")


def test_a_cache_path_that_is_a_file_still_loads(tmp_path, caplog):
    source = write_glossary(tmp_path / "g.json")
    blocker = tmp_path / "cache"
    blocker.write_text("not a directory")
    with caplog.at_level(logging.WARNING, logger="termlight.cache"):
        glossary = Glossary.load(source, cache=blocker)
    assert glossary.match("LLM")[0].term_id == "llm"
    assert "cache" in caplog.text and "not a directory" in caplog.text


def test_the_cache_directory_is_private(tmp_path):
    source = write_glossary(tmp_path / "g.json")
    cache = tmp_path / "deep" / "cache"
    Glossary.load(source, cache=cache)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert not list(cache.glob(".tmp-*"))


def test_default_directory_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TERMLIGHT_CACHE_DIR", str(tmp_path / "mine"))
    assert default_dir() == tmp_path / "mine"
    monkeypatch.delenv("TERMLIGHT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_dir() == tmp_path / "xdg" / "termlight"
    source = write_glossary(tmp_path / "g.json")
    Glossary.load(source, cache=True)
    assert len(entries(tmp_path / "xdg" / "termlight")) == 1


def test_two_paths_with_the_same_content_keep_their_own_entries(tmp_path):
    cache = tmp_path / "cache"
    a = write_glossary(tmp_path / "a.json")
    b = write_glossary(tmp_path / "b.json")
    Glossary.load(a, cache=cache)
    Glossary.load(b, cache=cache)
    assert len(entries(cache)) == 2


def test_the_directory_keeps_a_bounded_number_of_entries(tmp_path, monkeypatch):
    import termlight.cache as cache_module

    monkeypatch.setattr(cache_module, "KEEP", 3)
    cache = tmp_path / "cache"
    for i in range(6):
        Glossary.load(write_glossary(tmp_path / f"g{i}.json"), cache=cache)
    names = [p.name for p in entries(cache)]
    assert len(names) == 3
    build = CountingBuild()
    load_cached(tmp_path / "g5.json", build, cache)  # the newest entries survive
    assert build.calls == 0
