"""A default for every estimate field, following the five answers, and where each comes from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.domain.costs.estimate import Prices


# Defaults that follow from the five answers. When an answer is missing or unknown, the middle
# choice stands in: an estimate can be made before the wizard is finished.
RETRAINS_PER_YEAR = {"frequent": 12, "occasional": 4, "rare": 1}
PAIRS_NEEDED = {"none": 1_000, "some": 500, "plenty": 0}
MONTHLY_QUERIES = {"early_stage": 10_000, "scaling": 200_000, "high_volume": 2_000_000}

FIXED_DEFAULTS: dict[str, int | float] = {
    "prompt_tokens": 800,
    "context_tokens": 2_000,
    "output_tokens": 300,
    "vector_store_per_month": 70.0,
    "embedding_per_m": 0.02,
    "corpus_tokens": 5_000_000,
    "training_tokens": 2_000_000,
    "epochs": 3,
    "labelling_cost_per_pair": 5.0,
}

# Where each default comes from, for the form's help text and docs/cost-model.md.
DEFAULT_SOURCES: dict[str, str] = {
    "monthly_queries": (
        "Our assumption, from the cost answer: 10,000 a month early on, 200,000 while "
        "scaling, 2,000,000 at high volume."
    ),
    "prompt_tokens": "Our assumption: instructions, a few examples and the question.",
    "context_tokens": "Our assumption: three to five retrieved passages.",
    "output_tokens": "Our assumption: an answer of a few paragraphs.",
    "vector_store_per_month": "Our assumption: a small managed vector database plan.",
    "embedding_per_m": (
        "List price of a small hosted embedding model (OpenAI text-embedding-3-small, as "
        "published from January 2024); check your vendor's page."
    ),
    "corpus_tokens": "Our assumption: a few thousand documents of a few pages each.",
    "training_tokens": "Our assumption: about 1,000 pairs of about 2,000 tokens.",
    "epochs": "Our assumption: a typical number of passes for a hosted fine-tuning job.",
    "retrains_per_year": (
        "From the data-change answer: monthly when it changes often (12), quarterly when "
        "occasionally (4), yearly when rarely (1), as in the framework's yearly syllabus."
    ),
    "labelled_pairs_needed": (
        "Our assumption, from the labelled-data answer: 1,000 pairs to build from none, 500 "
        "more when you have some, none when you have plenty."
    ),
    "labelling_cost_per_pair": "Our assumption: a few minutes of an expert's time per pair.",
}


def defaults_for(answers: Mapping[str, str | int], prices: Prices) -> dict[str, int | float]:
    """A default for every estimate field, following the answers where they bear on it.

    The price row is accepted so that callers need not change if a default ever depends on
    the model; none does today. Sources: DEFAULT_SOURCES and docs/cost-model.md.
    """
    # The refine step's corpus size is this very figure, entered once (advisor.domain.refine).
    corpus = answers.get("corpus_tokens")
    return {
        "monthly_queries": MONTHLY_QUERIES.get(_answer(answers, "cost"), 200_000),
        **FIXED_DEFAULTS,
        **({"corpus_tokens": corpus} if isinstance(corpus, int) else {}),
        "retrains_per_year": RETRAINS_PER_YEAR.get(_answer(answers, "data_change"), 4),
        "labelled_pairs_needed": PAIRS_NEEDED.get(_answer(answers, "labeled_data"), 500),
    }


def _answer(answers: Mapping[str, str], key: str) -> str:
    value = answers.get(key)
    return value if isinstance(value, str) else ""
