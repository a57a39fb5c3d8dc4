"""What a loaded glossary is made of, as the API, the CLI and the exporter show it: a
:class:`Term` and a :class:`GlossaryInfo`. Plain records, with no reading or validation (that
is the loader's job) and no matching (the engine's).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A glossary entry as the API shows it."""

    id: str
    term: str
    definition: str
    glossary: str
    aliases: tuple[str, ...] = ()
    url: str | None = None
    related: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    case_sensitive: bool | None = None
    ambiguous: tuple[str, ...] = ()  # the forms that are also ordinary words (as written)
    exclude: tuple[str, ...] = ()  # forms that must not produce this term

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "term": self.term,
            "aliases": list(self.aliases),
            "definition": self.definition,
            "url": self.url,
            "related": list(self.related),
            "tags": list(self.tags),
            "glossary": self.glossary,
        }


@dataclass(frozen=True)
class GlossaryInfo:
    id: str
    name: str
    description: str
    term_count: int

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description, "terms": self.term_count}
