"""One test (or a few) per rule of the matching contract in the README."""

import json
from pathlib import Path

import pytest

from termlight import Glossary


def glossary(*terms, **kwargs):
    return Glossary.from_terms(
        [dict({"definition": f"Definition of {t['term']}."}, **t) for t in terms], **kwargs
    )


def found(g, text, **kwargs):
    return [(m.term_id, m.text) for m in g.match(text, **kwargs)]


AI = {"id": "ai", "term": "AI"}
LLM = {"id": "llm", "term": "LLM", "aliases": ["Large Language Model", "大規模言語モデル"]}


# 1. Surface forms -------------------------------------------------------------------------
def test_term_and_every_alias_are_forms():
    g = glossary(LLM)
    assert found(g, "LLM, large language model and 大規模言語モデル") == [
        ("llm", "LLM"),
        ("llm", "large language model"),
        ("llm", "大規模言語モデル"),
    ]


# 2. Normalization -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "fine-tuning",
        "Fine tuning",
        "fine\u2011tuning",  # non-breaking hyphen
        "fine\u2014tuning",  # em dash
        "fine \u2013 tuning",  # en dash between spaces collapses to one space
        "\ufb01ne-tuning",  # the fi ligature
        "ＦＩＮＥ－ＴＵＮＩＮＧ",  # full-width letters and hyphen
        "fine\u00a0tuning",  # no-break space
        "fine\n\n   tuning",  # a run of whitespace
        "fine\u00ad-tun\u200bing",  # soft hyphen and zero-width space are ignored
    ],
)
def test_normalized_variants_match_and_keep_original_text(text):
    g = glossary({"id": "ft", "term": "Fine-tuning"})
    matches = g.match(f"We tried {text} today.")
    assert [(m.term_id, m.text) for m in matches] == [("ft", text)]


def test_decomposed_accents_match_composed_form():
    g = glossary({"id": "cafe", "term": "café"})
    assert found(g, "a cafe\u0301 here") == [("cafe", "cafe\u0301")]


def test_curly_apostrophes_count_as_straight():
    g = glossary({"id": "occam", "term": "Occam's razor"})
    assert found(g, "By Occam\u2019s razor, no.") == [("occam", "Occam\u2019s razor")]


def test_sharp_s_folds_to_ss_and_offsets_stay_exact():
    g = glossary({"id": "strasse", "term": "strasse"})
    text = "Die Straße ist lang."
    [m] = g.match(text)
    assert (m.start, m.end, text[m.start:m.end]) == (4, 10, "Straße")


# 3. Case ----------------------------------------------------------------------------------
def test_all_upper_forms_match_exactly():
    g = glossary(AI, {"id": "roi", "term": "ROI"})
    assert found(g, "le roi, ai, Ai, AI and ROI") == [("ai", "AI"), ("roi", "ROI")]


@pytest.mark.parametrize("form,plain", [("RoPE", "rope"), ("CoT", "cot"), ("YaRN", "yarn"), ("DoRA", "Dora"),
                                        ("MoE", "moe"), ("LoRA", "LoRa"), ("QLoRA", "qlora"), ("GenAI", "genai"),
                                        ("ChatGPT", "CHATGPT"), ("vLLM", "VLLM")])
def test_mixed_case_forms_match_exactly(form, plain):
    g = glossary({"id": "t", "term": form})
    assert found(g, f"{plain}, {form}.") == [("t", form)]


def test_mixed_case_forms_take_only_lower_case_s():
    g = glossary({"id": "lora", "term": "LoRA"}, {"id": "moe", "term": "MoE"})
    assert found(g, "LoRAs, LoRAS, MoEs, MoEes") == [("lora", "LoRAs"), ("moe", "MoEs")]


@pytest.mark.parametrize("text", ["base model", "BASE MODEL", "Base Model", "base Model"])
def test_title_case_is_not_mixed_case(text):
    g = glossary({"id": "bm", "term": "Base Model"}, {"id": "amb", "term": "Ambient AI"}, {"id": "ft", "term": "Fine-Tuning"})
    assert found(g, f"a {text}") == [("bm", text)]
    assert found(g, "AMBIENT AI and fine-tuning") == [("amb", "AMBIENT AI"), ("ft", "fine-tuning")]


def test_case_sensitive_false_lets_a_mixed_case_form_match_any_case():
    g = glossary({"id": "lora", "term": "LoRA", "case_sensitive": False})
    assert found(g, "lora LORA LoRA") == [("lora", "lora"), ("lora", "LORA"), ("lora", "LoRA")]


def test_explicit_case_sensitive_overrides_both_ways():
    g = glossary(
        {"id": "roi", "term": "ROI", "case_sensitive": False},
        {"id": "go", "term": "Go", "case_sensitive": True},
    )
    assert found(g, "le roi, go, Go") == [("roi", "roi"), ("go", "Go")]


# 4. Whole words -------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["said", "AI2", "my_AI_var", "AIs2", "KAI", "ÄAI", "AIé"])
def test_ai_is_not_found_inside_words(text):
    assert found(glossary(AI), text) == []


@pytest.mark.parametrize("text", ["AI", "(AI)", "AI.", "«AI»", "AI-based", "\"AI\"", "x/AI"])
def test_ai_is_found_next_to_punctuation(text):
    assert found(glossary(AI), text) == [("ai", "AI")]


def test_symbols_in_forms():
    g = glossary({"id": "cpp", "term": "C++"}, {"id": "node", "term": "Node.js"}, {"id": "net", "term": ".NET"})
    assert found(g, "C++ code") == [("cpp", "C++")]
    assert found(g, "Node.jsx") == []
    assert found(g, "Node.js, and .NET") == [("node", "Node.js"), ("net", ".NET")]


def test_forms_that_differ_by_trailing_punctuation():
    g = glossary({"id": "c", "term": "C"}, {"id": "cs", "term": "C#"})
    assert found(g, "C# code and C code") == [("cs", "C#"), ("c", "C")]


def test_scripts_without_spaces_are_not_word_characters():
    g = glossary(LLM, {"id": "bm", "term": "基盤モデル"})
    assert found(g, "この基盤モデルは") == [("bm", "基盤モデル")]
    assert found(g, "LLMとは日本語LLM") == [("llm", "LLM"), ("llm", "LLM")]


# 5. Plurals -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "form,plural",
    [("Embedding", "embeddings"), ("Bus", "buses"), ("Box", "boxes"), ("Batch", "batches"),
     ("Hash", "hashes"), ("Query", "queries"), ("Key", "keys"), ("LLM", "LLMs"), ("Vector Database", "vector databases")],
)
def test_regular_plurals(form, plural):
    g = glossary({"id": "t", "term": form})
    assert found(g, f"two {plural} here") == [("t", plural)]


def test_upper_case_forms_take_only_lower_case_s():
    g = glossary(AI)
    assert found(g, "AIS AIs") == [("ai", "AIs")]


def test_non_latin_forms_get_no_plural():
    g = glossary({"id": "bm", "term": "基盤モデル"})
    assert found(g, "基盤モデルs") == [("bm", "基盤モデル")]


def test_explicit_form_wins_over_generated_plural():
    g = glossary({"id": "bit", "term": "Bit"}, {"id": "bits", "term": "Bits"})
    assert found(g, "a bit, two bits") == [("bit", "bit"), ("bits", "bits")]


# 6. Overlaps ------------------------------------------------------------------------------
def test_leftmost_longest():
    g = glossary({"id": "data", "term": "Data"}, {"id": "lake", "term": "Data Lake"}, {"id": "ml", "term": "Lake House"})
    assert found(g, "a data lake house") == [("lake", "data lake")]


def test_longer_candidate_failing_boundary_does_not_hide_shorter():
    g = glossary({"id": "data", "term": "Data"}, {"id": "lake", "term": "Data Lake"})
    assert found(g, "data lakehouse") == [("data", "data")]


def test_matches_are_sorted_and_disjoint():
    g = glossary({"id": "a", "term": "machine learning"}, {"id": "b", "term": "learning rate"}, {"id": "c", "term": "rate"})
    assert found(g, "machine learning rate") == [("a", "machine learning"), ("c", "rate")]


# 7. Offsets -------------------------------------------------------------------------------
def test_offsets_in_three_units():
    g = glossary(LLM)
    text = "😀 é LLM"
    [cp] = g.match(text)
    [u16] = g.match(text, offsets="utf16")
    [u8] = g.match(text, offsets="utf8")
    assert (cp.start, cp.end) == (4, 7)
    assert (u16.start, u16.end) == (5, 8)
    assert (u8.start, u8.end) == (8, 11)
    assert text.encode("utf-8")[u8.start:u8.end].decode() == "LLM"
    assert text.encode("utf-16-le")[2 * u16.start:2 * u16.end].decode("utf-16-le") == "LLM"


def test_unknown_offset_unit_is_an_error():
    with pytest.raises(ValueError):
        glossary(LLM).match("LLM", offsets="bytes")


# Glossaries and alternatives ----------------------------------------------------------------
def test_glossary_filter_and_alternatives():
    from termlight.loader import Source
    g = Glossary._from_sources([
        Source("ai", "<ai>", {"terms": [{"id": "agent", "term": "Agent", "definition": "An AI agent."}]}),
        Source("biz", "<biz>", {"terms": [{"id": "sales-agent", "term": "Agent", "definition": "A person who sells."}]}),
    ])
    [m] = g.match("the agent")
    assert (m.term_id, m.alternatives) == ("agent", ("sales-agent",))
    [m] = g.match("the agent", glossaries=["biz"])
    assert (m.term_id, m.alternatives) == ("sales-agent", ())
    doc = g.match_document(text="the agent")
    assert set(doc["terms"]) == {"agent", "sales-agent"}
    assert doc["matches"][0]["alternatives"] == ["sales-agent"]


# The same rules as data, shared with the extension's local matcher (tests/js) -------------
CASES_FILE = Path(__file__).parent / "data" / "matching_cases.json"
CASES = json.loads(CASES_FILE.read_text(encoding="utf-8"))


def case_glossary(name: str) -> Glossary:
    """A glossary set of the cases file: {glossary id: [terms]}, definitions filled in."""
    from termlight.loader import Source
    return Glossary._from_sources([
        Source(gid, f"<{gid}>", {"terms": [dict({"definition": f"Definition of {t['term']}."}, **t) for t in terms]})
        for gid, terms in CASES["glossaries"][name].items()
    ])


def case_answer(matches: list[dict], expect: list[list]) -> list[list]:
    """The matches in the shape of the expectations (only as detailed as each one is)."""
    out = []
    for m, want in zip(matches, expect + [[]] * len(matches)):
        row = [m["term_id"], m["text"]]
        if len(want) > 2:
            row += [m["start"], m["end"]]
        if len(want) > 4 or m.get("alternatives"):
            row.append(m.get("alternatives", []))
        out.append(row)
    return out


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: f"{c['rule']}: {c['text'][:30]}")
def test_shared_case(case):
    g = case_glossary(case["glossary"])
    matches = g.match_document(text=case["text"], offsets="utf16", glossaries=case.get("only"))["matches"]
    assert case_answer(matches, case["expect"]) == case["expect"]
