"""A default for every estimate field, following the answers, and where each comes from.

Sources were read on 2026-12-04; docs/cost-model.md gives each with its address.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.domain.costs.estimate import Prices


# Defaults that follow from the answers. When an answer is missing or unknown, the middle
# choice stands in: an estimate can be made before the wizard is finished.
PER_YEAR = {"frequent": 12, "occasional": 4, "rare": 1}
PAIRS_NEEDED = {"none": 1_000, "some": 500, "plenty": 0}
MONTHLY_QUERIES = {"early_stage": 10_000, "scaling": 200_000, "high_volume": 2_000_000}
# The prompt after tuning: instructions and few-shot examples trained in, the question and
# what is left of the instructions kept (a quarter of 800 tokens), where the problem is
# behaviour; a knowledge problem's prompt holds little behaviour to train away.
TUNED_PROMPT_TOKENS = {"behavior": 200, "both": 200}

FIXED_DEFAULTS: dict[str, int | float | bool | str] = {
    "prompt_tokens": 800,
    "cached_share": 0.0,
    "output_tokens": 300,
    "context_tokens": 2_000,
    "question_tokens": 50,
    "embedding_per_m": 0.02,
    "vector_store_per_month": 50.0,
    "rerank_per_1k": 2.0,
    "corpus_tokens": 5_000_000,
    "training_tokens": 2_000_000,
    "epochs": 3,
    "retrain_fixed_cost": 800.0,
    "labelling_cost_per_pair": 5.0,
    "engineer_hourly": 100.0,
    "prompt_build_hours": 80,
    "retrieval_build_hours": 240,
    "tuning_build_hours": 80,
    "prompt_upkeep_hours": 8,
    "retrieval_upkeep_hours": 16,
    "tuning_upkeep_hours": 8,
    "rerank": False,
    "vector_store": "pgvector",
}

# Where each default comes from, for the form's help text and docs/cost-model.md.
DEFAULT_SOURCES: dict[str, str] = {
    "monthly_queries": (
        "Our assumption, from the cost answer: 10,000 a month early on, 200,000 while "
        "scaling, 2,000,000 at high volume."
    ),
    "prompt_tokens": "Our assumption: instructions, a few examples and the question.",
    "tuned_prompt_tokens": (
        "For a behaviour problem 200, a quarter of the untuned prompt: the instructions and "
        "examples are trained in (OpenAI reported early testers cutting prompts by up to 90% "
        "when it opened GPT-3.5 Turbo fine-tuning, August 2023); our assumption keeps a "
        "margin. For a knowledge problem, the untuned prompt: our assumption."
    ),
    "cached_share": (
        "0: OpenAI caches only prompts of 1,024 tokens or more (Prompt Caching guide), and the "
        "default prompt is shorter; enter the share of a longer prompt that is a fixed prefix."
    ),
    "output_tokens": "Our assumption: an answer of a few paragraphs.",
    "context_tokens": "Our assumption: three to five retrieved passages.",
    "question_tokens": "Our assumption: a question of a sentence or two; only it is embedded.",
    "embedding_per_m": (
        "List price of a small hosted embedding model (OpenAI text-embedding-3-small, as "
        "published from January 2024); check your vendor's page."
    ),
    "vector_store_per_month": (
        "Pinecone's Standard plan minimum of $50 a month (its cost documentation); counted "
        "only with a managed store."
    ),
    "rerank_per_1k": (
        "Cohere Rerank's list price of $2 per 1,000 searches; charged only when reranking."
    ),
    "corpus_tokens": "Our assumption: a few thousand documents of a few pages each.",
    "reembeds_per_year": (
        "From the data-change answer: monthly when it changes often (12), quarterly when "
        "occasionally (4), yearly when rarely (1)."
    ),
    "training_tokens": "Our assumption: about 1,000 pairs of about 2,000 tokens.",
    "epochs": "Our assumption: a typical number of passes for a hosted fine-tuning job.",
    "retrains_per_year": (
        "From how often the wanted behaviour changes (refine step): 12, 4 or 1 a year; "
        "without that answer 4, our assumption. A tuned model is retrained when its "
        "behaviour must change, not when the documents do."
    ),
    "retrain_fixed_cost": (
        "Our assumption: a day of an engineer's time (8 hours at $100) to run the evaluation "
        "set and release each retrained model."
    ),
    "labelled_pairs_needed": (
        "Our assumption, from the labelled-data answer: 1,000 pairs to build from none, 500 "
        "more when you have some, none when you have plenty."
    ),
    "labelling_cost_per_pair": "Our assumption: a few minutes of an expert's time per pair.",
    "engineer_hourly": (
        "US software developers' mean wage, $144,570 a year (BLS OEWS, May 2024), is $69.50 "
        "an hour; wages are about 70% of an employer's cost (BLS ECEC), so about $100 loaded."
    ),
    "prompt_build_hours": (
        "Our assumption: two weeks of one engineer writing prompts and an evaluation set, "
        "the prompt milestone of the time to ship."
    ),
    "retrieval_build_hours": (
        "Six weeks of one engineer, the framework's 'RAG was live in 6 weeks'."
    ),
    "tuning_build_hours": (
        "Our assumption: two weeks for the data pipeline, training runs and evaluation."
    ),
    "prompt_upkeep_hours": "Our assumption: a day a month reviewing failures and prompts.",
    "retrieval_upkeep_hours": "Our assumption: two days a month on the index and its recall.",
    "tuning_upkeep_hours": "Our assumption: a day a month watching the tuned model's quality.",
    "batch": (
        "On when nobody waits for the answer (latency answer 'async'): OpenAI's Batch API, "
        "Anthropic's Message Batches and Gemini's Batch Mode all halve token prices for "
        "results within 24 hours."
    ),
    "rerank": "Off: reranking is a choice that adds cost and 100 to 400 ms.",
    "vector_store": (
        "pgvector: an extension of the PostgreSQL you already run, $0 beyond it; choose "
        "'managed' for a usage-priced service."
    ),
}


def defaults_for(
    answers: Mapping[str, object], prices: Prices
) -> dict[str, int | float | bool | str]:
    """A default for every estimate field, following the answers where they bear on it.

    `answers` are the five answers, and optionally the refine step's `behaviour_change`
    (how often the wanted behaviour changes) and `corpus_tokens` (a whole number). The price
    row is accepted so that callers need not change if a default ever depends on the model;
    none does today. Sources: DEFAULT_SOURCES and docs/cost-model.md.
    """
    corpus = answers.get("corpus_tokens")
    prompt = FIXED_DEFAULTS["prompt_tokens"]
    return {
        "monthly_queries": MONTHLY_QUERIES.get(_answer(answers, "cost"), 200_000),
        **FIXED_DEFAULTS,
        "tuned_prompt_tokens": TUNED_PROMPT_TOKENS.get(_answer(answers, "problem"), prompt),
        "reembeds_per_year": PER_YEAR.get(_answer(answers, "data_change"), 4),
        "retrains_per_year": PER_YEAR.get(_answer(answers, "behaviour_change"), 4),
        "labelled_pairs_needed": PAIRS_NEEDED.get(_answer(answers, "labeled_data"), 500),
        "batch": _answer(answers, "latency") == "async",
        **(
            {"corpus_tokens": corpus}
            if isinstance(corpus, int) and not isinstance(corpus, bool) and corpus >= 0
            else {}
        ),
    }


def _answer(answers: Mapping[str, object], key: str) -> str:
    value = answers.get(key)
    return value if isinstance(value, str) else ""
