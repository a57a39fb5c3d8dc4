"""Checks on the bundled AI glossary (glossary/ai.json) through the public loader and matcher.

The glossary is data, but readers meet it as behaviour: these tests pin the terms the project
promises to cover, the Japanese forms people search for, and a few sentences whose matches a
reader would judge by eye, so an edit that drops or hijacks a core term fails loudly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from termlight import Glossary
from termlight.engine.forms import is_exact_case, plurals
from termlight.engine.normalize import normalize_form

AI_JSON = Path(__file__).resolve().parents[2] / "glossary" / "ai.json"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load(AI_JSON)


def ids_in(glossary: Glossary, text: str, context: bool = False) -> list[str]:
    """The terms found; by default without the context rule, so a sentence checks forms alone."""
    return [m.term_id for m in glossary.match(text, offsets="codepoint", context=context)]


# id -> forms that must belong to it (term or alias)
REQUIRED = {
    "base-model": ["Base Model", "Foundation Model", "基盤モデル"],
    "large-language-model": ["Large Language Model", "LLM", "大規模言語モデル"],
    "pre-training": ["Pre-training", "事前学習"],
    "continued-pre-training": ["Continued Pre-training", "継続事前学習"],
    "fine-tuning": ["Fine-tuning", "Finetuning", "ファインチューニング"],
    "lora": ["LoRA", "Low-Rank Adaptation"],
    "qlora": ["QLoRA"],
    "prompt-engineering": ["Prompt Engineering", "プロンプトエンジニアリング"],
    "open-weight-model": ["Open-weight Model", "オープンウェイトモデル"],
    "proprietary-model": ["Proprietary Model"],
    "ai-roi": ["AI ROI"],
    "ai-observability": ["AI Observability"],
    "ambient-ai": ["Ambient AI"],
    "bpo": ["Business Process Outsourcing", "BPO"],
    "retrieval-augmented-generation": ["RAG", "Retrieval-Augmented Generation", "検索拡張生成"],
    "embedding": ["Embedding", "埋め込み"],
    "vector-database": ["Vector Database", "Vector DB"],
    "hallucination": ["Hallucination", "ハルシネーション"],
    "token": ["Token", "トークン"],
    "tokenizer": ["Tokenizer"],
    "context-window": ["Context Window", "コンテキストウィンドウ"],
    "inference": ["Inference", "推論"],
    "quantization": ["Quantization", "量子化"],
    "distillation": ["Distillation", "蒸留"],
    "rlhf": ["RLHF"],
    "reinforcement-learning": ["Reinforcement Learning", "強化学習"],
    "dpo": ["DPO"],
    "ai-agent": ["AI Agent", "エージェント"],
    "function-calling": ["Function Calling", "Tool use"],
    "guardrail": ["Guardrail"],
    "model-evaluation": ["Model Evaluation"],
    "benchmark": ["Benchmark"],
    "mmlu": ["MMLU"],
    "transformer": ["Transformer"],
    "attention": ["Attention"],
    "mixture-of-experts": ["Mixture of Experts", "MoE"],
    "kv-cache": ["KV Cache"],
    "data-parallelism": ["Data Parallelism"],
    "tensor-parallelism": ["Tensor Parallelism"],
    "pipeline-parallelism": ["Pipeline Parallelism"],
    "zero": ["ZeRO"],
    "fsdp": ["FSDP"],
    "mixed-precision": ["Mixed Precision"],
    "gradient-checkpointing": ["Gradient Checkpointing"],
    "peft": ["PEFT"],
    "adapter-layer": ["Adapter Layer"],
    "prompt-injection": ["Prompt Injection"],
    "jailbreak": ["Jailbreak"],
    "chain-of-thought": ["Chain-of-Thought", "CoT"],
    "few-shot-prompting": ["Few-shot"],
    "zero-shot-prompting": ["Zero-shot"],
    "sampling-temperature": ["Temperature"],
    "top-p-sampling": ["Top-p"],
    "system-prompt": ["System Prompt"],
    "context-engineering": ["Context Engineering"],
    "model-context-protocol": ["MCP", "Model Context Protocol"],
    "semantic-search": ["Semantic Search"],
    "reranking": ["Reranking"],
    "chunking": ["Chunking"],
    "gpu": ["GPU"],
    "tpu": ["TPU"],
    "flops": ["FLOPs"],
    "scaling-law": ["Scaling Law"],
    "synthetic-data": ["Synthetic Data"],
    "red-teaming": ["Red Teaming"],
    "ai-alignment": ["AI Alignment", "Alignment"],
    "model-card": ["Model Card"],
    "ai-governance": ["AI Governance"],
    "tco": ["TCO", "Total Cost of Ownership"],
    "copilot": ["Copilot"],
}

GENERIC_WORDS = ["model", "models", "data", "training", "input", "output", "cost", "scale", "learning",
                 "system", "tool", "memory", "performance", "quality", "text", "language", "search"]


def test_loads_cleanly_with_enough_terms(glossary):
    assert [g.id for g in glossary.glossaries] == ["ai"]
    assert glossary.glossaries[0].name == "AI and LLM jargon"
    assert len(glossary.terms) >= 240


@pytest.mark.parametrize("term_id, forms", sorted(REQUIRED.items()))
def test_required_term_and_forms(glossary, term_id, forms):
    assert term_id in glossary.terms, term_id
    own = {normalize_form(f) for f in glossary.terms[term_id].forms}
    for form in forms:
        assert normalize_form(form) in own, f"{form!r} is not a form of {term_id}"


def test_every_term_is_well_formed(glossary):
    bad = []
    for term in glossary.terms.values():
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", term.id):
            bad.append(f"{term.id}: id is not a lower-case slug")
        sentences = len(re.findall(r"[.!?](?:\s|$)", term.definition))
        if not 1 <= sentences <= 3:
            bad.append(f"{term.id}: {sentences} sentences")
        if re.search(r"<[a-z/]|\*\*|`|\]\(", term.definition):
            bad.append(f"{term.id}: markup in definition")
        if not term.tags or not term.related:
            bad.append(f"{term.id}: needs tags and related links")
        if term.id in term.related:
            bad.append(f"{term.id}: related to itself")
        if term.url is not None and not term.url.startswith("https://"):
            bad.append(f"{term.id}: url is not https")
    assert bad == []


def test_no_alias_is_just_a_plural_the_matcher_adds(glossary):
    redundant = []
    for term in glossary.terms.values():
        # An exact-case form's plural is only its exact -s ("FLOPs"), so "FLOPS" is not redundant.
        generated = {normalize_form(p, fold=not is_exact_case(f)) for f in term.forms for p in plurals(f)}
        redundant += [f"{term.id}: {a!r}" for a in term.aliases
                      if normalize_form(a) in generated or normalize_form(a, fold=False) in generated]
    assert redundant == []


def test_no_generic_english_word_is_a_form(glossary):
    forms = {normalize_form(f) for t in glossary.terms.values() for f in t.forms}
    assert sorted(forms & set(GENERIC_WORDS)) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Fine-tuning a foundation model with LoRA", ["fine-tuning", "base-model", "lora"]),
        ("この基盤モデルをファインチューニングする", ["base-model", "fine-tuning"]),
        ("RAG pipelines cut hallucinations by grounding LLMs in a vector DB.",
         ["retrieval-augmented-generation", "hallucination", "grounding", "large-language-model", "vector-database"]),
        ("We trained with ZeRO-3 and FSDP, then served it with vLLM.", ["zero", "fsdp", "vllm"]),
        ("Our AI ROI and TCO analysis covers the BPO contract.", ["ai-roi", "tco", "bpo"]),
        ("QLoRA quantizes the base model with 4-bit quantization.",
         ["qlora", "quantization", "base-model", "four-bit-quantization"]),
        ("大規模言語モデルの継続事前学習と量子化", ["large-language-model", "continued-pre-training", "quantization"]),
        ("Prompt injection is not the same as a jailbreak.", ["prompt-injection", "jailbreak"]),
    ],
)
def test_sentences_match_the_expected_terms(glossary, text, expected):
    assert ids_in(glossary, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "She said zero people would react to the roi of the rag trade.",
        "The ai_model variable and AI2 are not the acronym.",
        "A model needs data, training, input and output at scale and low cost.",
    ],
)
def test_ordinary_prose_and_lookalikes_do_not_match(glossary, text):
    assert ids_in(glossary, text) == []


def test_case_sensitive_product_names(glossary):
    assert ids_in(glossary, "ReAct prompting for agents") == ["react", "ai-agent"]
    assert ids_in(glossary, "a React component") == []
    assert ids_in(glossary, "ZeRO stage 3") == ["zero"]
    assert ids_in(glossary, "a llama in the field") == []


TRAVEL_PAGE = [
    "We flew into Corpus Christi, where the temperature was already high, and our travel agent met us.",
    "Dora knits with yarn by the door; the spare room has a cot, and the moe cakes sell out by noon.",
    "Coil the rope, throw it to the dock; attention to detail matters. Rangers were pruning the oaks.",
    "A shard of pottery lay in the sand. The distillery explained distillation; his copilot did the books.",
    "His LoRa gateway collects sensor readings. A secret agent film was being shot across the street.",
    "サイバーエージェントは新作ゲームを発表した。週末の気温は高い。",
]


def test_everyday_words_stay_plain_on_a_page_that_is_not_about_ai(glossary):
    doc = glossary.match_document(texts=TRAVEL_PAGE, explain=True)
    assert [m for r in doc["results"] for m in r["matches"]] == []
    # positive control: without the context rule the ambiguous words are found
    loose = glossary.match_document(texts=TRAVEL_PAGE, context=False)
    assert {m["text"].lower() for r in loose["results"] for m in r["matches"]} >= {"temperature", "attention", "pruning"}


def test_the_words_the_issue_names_are_exact_case_or_ambiguous(glossary):
    ambiguous = {normalize_form(f) for t in glossary.terms.values() for f in t.ambiguous}
    for word in ["agent", "temperature", "attention", "pruning", "copilot", "distillation", "shard", "corpus",
                 "alignment", "token", "embedding", "エージェント"]:
        assert word in ambiguous, word
    for text in ["rope", "cot", "yarn", "Dora", "moe", "LoRa"]:
        assert ids_in(glossary, f"a {text} here") == [], text


def test_ambiguous_words_light_up_on_an_ai_page(glossary):
    page = ["We fine-tuned an LLM with LoRA on one GPU.",
            "Lower the temperature and the agent pays attention to its tools.",
            "Pruning and distillation shrink the model."]
    found = {m["term_id"]: m["why"] for r in glossary.match_document(texts=page)["results"] for m in r["matches"]}
    assert {"sampling-temperature", "ai-agent", "attention", "pruning", "distillation"} <= set(found)
    assert found["attention"] == "term context"
