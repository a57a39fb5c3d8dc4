"""Rules 8-10 of the matching contract: excluded forms, ambiguous forms and the context rule,
and why each match matched (README, "How matching works")."""

import pytest

from termlight import Glossary, GlossaryError
from termlight.engine.context import CONTEXT_MIN
from termlight.loader import Source


def glossary(*terms):
    return Glossary.from_terms([dict({"definition": f"Definition of {t['term']}."}, **t) for t in terms])


AGENT = {"id": "agent", "term": "AI agent", "aliases": ["Agent", "エージェント"], "ambiguous": ["Agent", "エージェント"],
         "exclude": ["サイバーエージェント", "travel agent"]}
TEMP = {"id": "temperature", "term": "Temperature", "ambiguous": True}
CONTEXT = [{"id": "llm", "term": "LLM"}, {"id": "rag", "term": "RAG"}, {"id": "lora", "term": "LoRA"},
           {"id": "gpu", "term": "GPU"}]
G = glossary(AGENT, TEMP, *CONTEXT)


def found(text_or_texts, **kwargs):
    texts = [text_or_texts] if isinstance(text_or_texts, str) else text_or_texts
    doc = G.match_document(texts=texts, offsets="codepoint", **kwargs)
    return [(m["term_id"], m["text"], m["why"]) for r in doc["results"] for m in r["matches"]]


# 8. Excluded forms ------------------------------------------------------------------------
def test_a_hit_inside_an_excluded_form_does_not_count():
    assert found("サイバーエージェントの新作", context=False) == []
    assert found("a travel agent booked it", context=False) == []
    # positive control: the same forms outside the excluded ones
    assert found("エージェントの新作 and an agent", context=False) == [
        ("agent", "エージェント", "alias ambiguous"), ("agent", "agent", "alias ambiguous")]


def test_an_excluded_form_blocks_every_term_inside_it_but_nothing_around_it():
    g = glossary({"id": "corpus", "term": "Corpus", "exclude": ["Corpus Christi"]}, {"id": "christi", "term": "Christi"})
    assert [(m.term_id, m.text) for m in g.match("Corpus Christi; a corpus; Christi")] == [
        ("corpus", "corpus"), ("christi", "Christi")]


def test_excluded_forms_are_validated():
    with pytest.raises(GlossaryError) as err:
        glossary({"id": "a", "term": "Agent", "exclude": ["agent", "broker"]}, {"id": "b", "term": "B", "exclude": [3]})
    messages = " | ".join(p.message for p in err.value.problems)
    assert "'exclude' lists 'agent', which is a form of the term itself" in messages
    assert "'exclude' lists 'broker', which does not contain the term or one of its aliases" in messages
    assert "'exclude' must be a list of non-empty strings" in messages


# 9. Ambiguous forms and the context rule ----------------------------------------------------
def test_an_ambiguous_form_alone_is_not_a_match():
    assert found("Set the temperature and ask an agent.") == []


def test_an_ambiguous_form_counts_with_enough_unambiguous_terms_in_the_request():
    assert CONTEXT_MIN == 3
    texts = ["Set the temperature of the LLM.", "RAG needs an agent.", "We fine-tuned it with LoRA."]
    assert found(texts) == [
        ("temperature", "temperature", "term context"), ("llm", "LLM", "term"),
        ("rag", "RAG", "term"), ("agent", "agent", "alias context"), ("lora", "LoRA", "term")]


def test_context_counts_different_terms_not_occurrences():
    assert found(["temperature", "LLM LLM LLM LLMs RAG"]) == [("llm", "LLM", "term")] * 3 + [
        ("llm", "LLMs", "term plural"), ("rag", "RAG", "term")]


def test_an_unambiguous_form_of_an_ambiguous_term_is_context():
    # "AI agent" is not ambiguous: it matches alone, and counts as one of the terms.
    assert found("an AI agent") == [("agent", "AI agent", "term")]
    assert ("temperature", "temperature", "term context") in found("AI agent, LLM, RAG, temperature")
    assert ("temperature", "temperature", "term context") not in found("AI agent, LLM, temperature")


def test_context_comes_from_the_same_glossary_only():
    g = Glossary._from_sources([
        Source("ai", "<ai>", {"terms": [dict(TEMP, definition="d")]}),
        Source("other", "<other>", {"terms": [{"id": t["id"], "term": t["term"], "definition": "d"} for t in CONTEXT]}),
    ])
    doc = g.match_document(text="LLM RAG LoRA GPU temperature")
    assert [m["term_id"] for m in doc["matches"]] == ["llm", "rag", "lora", "gpu"]


def test_the_rule_can_be_turned_off():
    assert found("Set the temperature.", context=False) == [("temperature", "temperature", "term ambiguous")]


def test_glossary_match_applies_the_rule_to_its_one_text():
    assert G.match("temperature") == []
    assert [m.why for m in G.match("temperature LLM RAG GPU")] == ["term context", "term", "term", "term"]
    assert [m.why for m in G.match("temperature", context=False)] == ["term ambiguous"]


def test_ambiguous_is_validated():
    with pytest.raises(GlossaryError) as err:
        glossary({"id": "a", "term": "Agent", "ambiguous": ["Agents", "agent"]}, {"id": "b", "term": "B", "ambiguous": "yes"})
    messages = [p.message for p in err.value.problems]
    assert any("'Agents', which is not the term or one of its aliases" in m for m in messages)
    assert any("'ambiguous' must be true, false or a list" in m for m in messages)


def test_ambiguity_and_exclusions_change_the_version():
    plain = glossary({"id": "t", "term": "Temperature"})
    assert plain.version != glossary(TEMP).version
    assert plain.version != glossary({"id": "t", "term": "Temperature", "exclude": ["room temperature"]}).version


# 10. Why: explanations and what was suppressed -----------------------------------------------
def test_why_names_the_form_kind_and_plural():
    assert found("AI agents, Agents, LLMs, LLM RAG GPU") == [
        ("agent", "AI agents", "term plural"), ("agent", "Agents", "alias plural context"),
        ("llm", "LLMs", "term plural"), ("llm", "LLM", "term"), ("rag", "RAG", "term"), ("gpu", "GPU", "term")]


def test_explain_lists_what_was_suppressed_and_why():
    doc = G.match_document(texts=["The temperature rose.", "サイバーエージェント and LLM"], offsets="codepoint", explain=True)
    assert doc["results"][0] == {"matches": [], "suppressed": [
        {"start": 4, "end": 15, "term_id": "temperature", "text": "temperature", "reason": "no context"}]}
    assert doc["results"][1]["suppressed"] == [
        {"start": 0, "end": 10, "term_id": "agent", "text": "サイバーエージェント", "reason": "excluded"}]
    assert doc["context"] == {"needed": CONTEXT_MIN, "found": {"default": 1}}
    assert "suppressed" not in G.match_document(text="temperature")
