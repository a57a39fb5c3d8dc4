"""Reading and validating glossary files.

Every problem is collected with the file, the term (by id, or by position when it has none) and
what is wrong, so ``termlight check`` and the service's ``/healthz`` can show them all at once.
The loader never raises on the first problem; :func:`load_sources` raises
:class:`~termlight.errors.GlossaryError` once it has seen everything.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from termlight import strict_json
from termlight.errors import GlossaryError, Problem
from termlight.model import GlossaryInfo, Term
from termlight.paths import GlossarySpec, as_paths
from termlight.engine.forms import effective_case_sensitive
from termlight.engine.keytable import ALIAS, AMBIGUOUS, EXCLUDED, FormEntry
from termlight.engine.normalize import normalize_form

TERM_KEYS = ("id", "term", "aliases", "definition", "url", "related", "tags", "case_sensitive", "ambiguous", "exclude")
GLOSSARY_KEYS = ("name", "description", "terms")
# Used with fullmatch: with match and `$`, "ok\n" would pass (`$` also matches before a
# final newline).
ID_PATTERN = re.compile(r"[^\W_][\w.\-]*")
URL_PATTERN = re.compile(r"https?://\S+")


@dataclass
class Source:
    """One glossary's raw content and where it came from."""

    glossary_id: str
    file: str
    data: object
    problems: list[Problem] = field(default_factory=list)
    ids: list[tuple[str, str]] = field(default_factory=list)  # (id, "term #N ('name')") of every term seen, valid or not


def slugify(text: str) -> str:
    """A default id: lower-case words joined by hyphens ("C++" becomes "c-plus-plus")."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("+", " plus ").replace("#", " sharp ")
    return "-".join(re.findall(r"[^\W_]+", text))


def read_sources(spec: GlossarySpec) -> list[Source]:
    """Read glossary files, or every ``*.json`` file of a directory, without validating.

    ``spec`` is one path, several (a list, or a string of comma-separated paths); their
    glossaries are validated together, like the files of one folder.
    """
    return [source for path in as_paths(spec) for source in _read_path(path)]


def _read_path(path: Path) -> list[Source]:
    if path.is_dir():
        files = sorted(p for p in path.glob("*.json") if p.is_file())
        if not files:
            return [Source(path.name, str(path), None, [Problem(str(path), "", "no *.json glossary files here")])]
        return [_read_file(f) if _inside(f, path) else _outside(f) for f in files]
    if path.exists():
        return [_read_file(path)]
    return [Source(path.stem, str(path), None, [Problem(str(path), "", "no such file or directory")])]


def _inside(file: Path, folder: Path) -> bool:
    """Whether a file of the folder really lives there: a symlink may lead anywhere (another
    user's secrets, a config file), and its content would then be parsed and quoted in
    problem lines."""
    try:
        return file.resolve(strict=True).is_relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError):  # a dangling or looping link
        return False


def _outside(file: Path) -> Source:
    return Source(file.stem, str(file), None, [Problem(
        str(file), "", "refused: a symlink that leads outside the glossary folder "
                       "(copy the file into the folder, or link to one inside it)")])


def _read_file(file: Path) -> Source:
    name = str(file)
    try:
        raw = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return Source(file.stem, name, None, [Problem(name, "", f"cannot read: {exc}")])
    try:
        data = strict_json.loads(raw)
    except strict_json.JSONError as exc:
        return Source(file.stem, name, None, [Problem(name, exc.where, f"invalid JSON: {exc.message}")])
    return Source(file.stem, name, data)


def _unknown_key_message(key: str, allowed: tuple[str, ...]) -> str:
    hint = difflib.get_close_matches(key, allowed, n=1)
    return f"unknown key {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint else f"; allowed: {', '.join(allowed)}")


def _position(raw: dict, index: int) -> str:
    """Where a term is by position: "term #3 ('LoRA')", which stays unique when ids repeat."""
    if isinstance(raw.get("term"), str) and raw["term"]:
        return f"term #{index + 1} ({raw['term']!r})"
    return f"term #{index + 1}"


def _where(raw: dict, index: int) -> str:
    if isinstance(raw.get("id"), str) and raw["id"]:
        return f"term {raw['id']!r}"
    return _position(raw, index)


def _string_list(raw: dict, key: str, say) -> tuple[str, ...]:
    value = raw.get(key, [])
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        say(f"{key!r} must be a list of non-empty strings")
        return ()
    return tuple(v.strip() for v in value)


def _parse_term(raw: object, index: int, source: Source) -> Term | None:
    if not isinstance(raw, dict):
        source.problems.append(Problem(source.file, f"term #{index + 1}", "must be an object"))
        return None
    where = _where(raw, index)
    count = len(source.problems)

    def say(message: str) -> None:
        source.problems.append(Problem(source.file, where, message))

    for key in raw:
        if key not in TERM_KEYS:
            say(_unknown_key_message(key, TERM_KEYS))
    text = {}
    for key in ("term", "definition"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            say(f"{key!r} is required and must be a non-empty string")
        text[key] = value.strip() if isinstance(value, str) else ""
    url = raw.get("url")
    if url is not None and (not isinstance(url, str) or not URL_PATTERN.fullmatch(url)):
        say("'url' must be an http(s) URL")
    case = raw.get("case_sensitive")
    if case is not None and not isinstance(case, bool):
        say("'case_sensitive' must be true or false")
    term_id = raw.get("id")
    if term_id is None:
        term_id = slugify(text["term"])
    if (term_id or "id" in raw) and (not isinstance(term_id, str) or not ID_PATTERN.fullmatch(term_id)):
        say(f"'id' {term_id!r} must start with a letter or digit and hold only letters, digits, '.', '-' and '_'")
    if isinstance(term_id, str):
        source.ids.append((term_id, _position(raw, index)))
    aliases = _string_list(raw, "aliases", say)
    related = _string_list(raw, "related", say)
    tags = _string_list(raw, "tags", say)
    for form in (text["term"], *aliases):
        if form and not normalize_form(form):
            say(f"form {form!r} is empty once normalized")
    forms = tuple(f for f in (text["term"], *aliases) if f)
    ambiguous = _ambiguous_forms(raw, forms, say)
    exclude = _excluded_forms(raw, forms, say)
    if len(source.problems) > count:
        return None
    return Term(term_id, text["term"], text["definition"], source.glossary_id, aliases, url, related, tags, case,
                ambiguous, exclude)


def _ambiguous_forms(raw: dict, forms: tuple[str, ...], say) -> tuple[str, ...]:
    """``ambiguous``: true (every form of the term) or a list of some of its forms."""
    value = raw.get("ambiguous")
    if value is None or value is False:
        return ()
    if value is True:
        return forms
    listed = _string_list(raw, "ambiguous", lambda _: say("'ambiguous' must be true, false or a list of the term's forms"))
    own = {normalize_form(f): f for f in forms}
    out = []
    for form in listed:
        if normalize_form(form) not in own:
            say(f"'ambiguous' lists {form!r}, which is not the term or one of its aliases")
        else:
            out.append(own[normalize_form(form)])
    return tuple(dict.fromkeys(out))


def _excluded_forms(raw: dict, forms: tuple[str, ...], say) -> tuple[str, ...]:
    """``exclude``: longer forms, each holding one of the term's forms, that must not produce it."""
    listed = _string_list(raw, "exclude", say)
    own = [normalize_form(f) for f in forms]
    for form in listed:
        folded = normalize_form(form)
        if folded in own:
            say(f"'exclude' lists {form!r}, which is a form of the term itself")
        elif not any(f and f in folded for f in own):
            say(f"'exclude' lists {form!r}, which does not contain the term or one of its aliases")
    return listed


def form_entries(term: Term) -> list[FormEntry]:
    """What the matcher is built from: each form of the term with its role (an alias? ambiguous?)
    and each excluded form."""
    ambiguous = set(term.ambiguous)
    out = [FormEntry(term.id, term.glossary, form, term.case_sensitive,
                     (ALIAS if i else 0) | (AMBIGUOUS if form in ambiguous else 0))
           for i, form in enumerate(term.forms)]
    out += [FormEntry(term.id, term.glossary, form, term.case_sensitive, EXCLUDED) for form in term.exclude]
    return out


def parse_term(raw: dict, glossary_id: str = "import") -> tuple[Term | None, list[str]]:
    """One term on its own: the Term, or None and what is wrong (the CSV importer, row by row)."""
    source = Source(glossary_id, "", None)
    term = _parse_term(raw, 0, source)
    return term, [p.message for p in source.problems]


def parse_source(source: Source) -> tuple[GlossaryInfo | None, list[Term]]:
    data = source.data
    name, description = source.glossary_id, ""
    if isinstance(data, dict):
        for key in data:
            if key not in GLOSSARY_KEYS:
                source.problems.append(Problem(source.file, "", _unknown_key_message(key, GLOSSARY_KEYS)))
        name = data.get("name", name)
        description = data.get("description", "")
        if not isinstance(name, str) or not isinstance(description, str):
            source.problems.append(Problem(source.file, "", "'name' and 'description' must be strings"))
        data = data.get("terms")
    if not isinstance(data, list):
        source.problems.append(Problem(source.file, "", "expected a list of terms, or an object with a 'terms' list"))
        return None, []
    terms = [t for i, raw in enumerate(data) if (t := _parse_term(raw, i, source)) is not None]
    return GlossaryInfo(source.glossary_id, str(name), str(description), len(terms)), terms


def _clash_key(term: Term, form: str) -> tuple[str, str | None]:
    strict = effective_case_sensitive(form, term.case_sensitive)
    return normalize_form(form), (normalize_form(form, fold=False) if strict else None)


def form_clashes(terms: list[Term]) -> list[tuple[Term, str, Term]]:
    """(term, form, earlier term) for each form that an earlier term of the same glossary claims."""
    owners: dict[str, list[tuple[str | None, Term]]] = {}
    clashes = []
    for term in terms:
        for form in term.forms:
            folded, cased = _clash_key(term, form)
            for other_cased, other in owners.get(folded, []):
                both_strict = cased is not None and other_cased is not None
                if other.id != term.id and (not both_strict or cased == other_cased):
                    clashes.append((term, form, other))
                    break
            owners.setdefault(folded, []).append((cased, term))
    return clashes


def _check_forms(terms: list[Term], source: Source) -> None:
    """One surface form may belong to only one term of a glossary."""
    for term, form, other in form_clashes(terms):
        source.problems.append(
            Problem(source.file, f"term {term.id!r}", f"form {form!r} is already claimed by term {other.id!r}")
        )


def load_sources(sources: list[Source]) -> tuple[list[GlossaryInfo], list[Term]]:
    """Validate sources together (ids and ``related`` links span glossaries); raise on any problem."""
    infos: list[GlossaryInfo] = []
    terms: list[Term] = []
    seen_ids: dict[str, str] = {}  # id -> "term #N ('name') in FILE" of its first definition
    glossary_ids = set()
    for source in sources:
        if source.data is None:
            continue
        if source.glossary_id in glossary_ids:
            source.problems.append(Problem(source.file, "", f"glossary id {source.glossary_id!r} is used twice"))
        glossary_ids.add(source.glossary_id)
        info, own = parse_source(source)
        for term_id, position in source.ids:
            if term_id in seen_ids:
                source.problems.append(
                    Problem(source.file, position, f"duplicate id {term_id!r} (first defined by {seen_ids[term_id]})")
                )
            seen_ids.setdefault(term_id, f"{position} in {source.file}")
        _check_forms(own, source)
        if info is not None:
            infos.append(info)
        terms.extend(own)
    by_file = {s.glossary_id: s for s in sources}
    for term in terms:
        for rel in term.related:
            if rel not in seen_ids:
                by_file[term.glossary].problems.append(
                    Problem(by_file[term.glossary].file, f"term {term.id!r}", f"related id {rel!r} does not exist")
                )
    problems = [p for s in sources for p in s.problems]
    if problems:
        raise GlossaryError(problems)
    return infos, terms
