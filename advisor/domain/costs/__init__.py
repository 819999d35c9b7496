"""The numbers behind the advice: cost over 24 months, latency budget and time to ship.

Pure Python and deterministic, like advisor/domain/engine/: the standard library and the
engine's `Approach` and `RETRIEVAL_MS` (advice.py also runs the engine on the numbers'
evidence), nothing from Django, so every figure is checked by hand in tests/test_costs.py and
every formula is written out in docs/cost-model.md. Bump COST_MODEL_VERSION whenever a
formula, a default or a sentence changes; saved decisions keep the version they were computed
with.

All money is in US dollars. Q is the monthly query volume; prompt, tuned_prompt, context,
question and output are tokens per request; prices are dollars per million tokens, so "/ 1e6"
turns tokens into millions of tokens. The tuned prices (tuned_input, tuned_output, training,
hosting) are the tuned model's row's when one is chosen (distillation), else the base row's.
k is 1/2 with `batch` (the batch APIs halve token prices), else 1. s is cached_share, the
share of the prompt that is a fixed, cached prefix. e is reembeds_per_year (the documents
change), r is retrains_per_year (the wanted behaviour changes). h is engineer_hourly.

    prompt_rate  = prompt x ((1 - s) x input + s x cached_input)
    people(...)  = h x the hours named (build once, upkeep every month)

Prompt engineering
    upfront = people(prompt_build)
    running = k x Q x (prompt_rate + output x output_price) / 1e6
            + people(prompt_upkeep)

Retrieval (RAG)
    corpus_embedding = corpus x embedding / 1e6
    retrieval        = k x Q x question x embedding / 1e6          embedding each question
                     + Q / 1000 x rerank_per_1k   (with rerank)     the reranker's fee
                     + vector_store_per_month      (managed store)  pgvector costs $0 more
                     + corpus_embedding x e / 12                    re-embedding the corpus
    upfront = corpus_embedding + people(prompt_build + retrieval_build)
    running = k x Q x (prompt_rate + context x input + output x output_price) / 1e6
            + retrieval + people(prompt_upkeep + retrieval_upkeep)

Fine-tuning (behaviour only: it never carries the knowledge)
    training_run = training_tokens x epochs x training / 1e6
    tuning_once  = labelled_pairs_needed x labelling_cost_per_pair + training_run
    tuning       = hosting x 730 + (training_run + retrain_fixed_cost) x r / 12
    upfront = tuning_once + people(prompt_build + tuning_build)
    running = k x Q x (tuned_prompt x tuned_input + output x tuned_output) / 1e6
            + tuning + people(prompt_upkeep + tuning_upkeep)

Retrieval plus fine-tuning (retrieval's costs, the tuned model reading the context)
    upfront = corpus_embedding + tuning_once
            + people(prompt_build + retrieval_build + tuning_build)
    running = k x Q x ((tuned_prompt + context) x tuned_input + output x tuned_output) / 1e6
            + retrieval + tuning
            + people(prompt_upkeep + retrieval_upkeep + tuning_upkeep)

For every approach, month 1 costs upfront + running and every later month costs running, so
the cumulative cost after m months is upfront + m x running. Cost per query is the running
(month 2) cost divided by Q, fixed costs included; it is 0 when Q is 0, there being no query to
divide by.

The tuned approach is compared with what it would replace (`rivals`): fine-tuning with prompt
engineering for a behaviour problem, retrieval plus fine-tuning with retrieval for knowledge
and "both". Each cumulative cost is a + b x Q in the query volume (and affine in every other
single numeric input; batch, rerank and the vector store are choices), so break-even points
and sensitivity thresholds are solved exactly. The arithmetic is done on fractions.Fraction
(every float converts exactly), and only the results are turned back into floats:
comparisons never depend on rounding.
"""

from advisor.domain.costs.advice import cost_evidence, estimate_advice
from advisor.domain.costs.defaults import DEFAULT_SOURCES, defaults_for
from advisor.domain.costs.estimate import SIZES, CostInputs, Prices
from advisor.domain.costs.freshness import STALE_AFTER_MONTHS, price_warnings
from advisor.domain.costs.inputs import (
    CHOICE_FIELDS,
    ESTIMATE_FIELDS,
    FIELD_GROUPS,
    FIELDS,
    INPUT_FIELDS,
    LIMITS,
    MINIMUMS,
    NUMERIC_FIELDS,
    PRICE_FIELDS,
    TUNED_PRICE_FIELDS,
    VECTOR_STORES,
    InvalidEstimate,
)
from advisor.domain.costs.latency import (
    LatencyBudget,
    LatencyVerdict,
    Stage,
    latency_budget,
    latency_budgets,
    model_stage,
)
from advisor.domain.costs.money import (
    COSTED_APPROACHES,
    HORIZON_MONTHS,
    HOURS_PER_MONTH,
    CostCurve,
    Pair,
    break_even_month,
    break_even_volume,
    cheaper_over_horizon,
    cost_breakdown,
    cost_comparison,
    cost_curves,
    cost_summary,
    horizon_cost,
    rivals,
)
from advisor.domain.costs.report import COST_MODEL_VERSION, estimate_report
from advisor.domain.costs.sensitivity import sensitivity
from advisor.domain.costs.shipping import Milestone, time_to_ship, weeks_to_ship
from advisor.domain.costs.withheld import without_cost_figures
from advisor.domain.engine import RETRIEVAL_MS

__all__ = [
    "CHOICE_FIELDS",
    "COSTED_APPROACHES",
    "COST_MODEL_VERSION",
    "DEFAULT_SOURCES",
    "ESTIMATE_FIELDS",
    "FIELDS",
    "FIELD_GROUPS",
    "HORIZON_MONTHS",
    "HOURS_PER_MONTH",
    "INPUT_FIELDS",
    "LIMITS",
    "MINIMUMS",
    "NUMERIC_FIELDS",
    "PRICE_FIELDS",
    "RETRIEVAL_MS",
    "SIZES",
    "STALE_AFTER_MONTHS",
    "TUNED_PRICE_FIELDS",
    "VECTOR_STORES",
    "CostCurve",
    "CostInputs",
    "InvalidEstimate",
    "LatencyBudget",
    "LatencyVerdict",
    "Milestone",
    "Pair",
    "Prices",
    "Stage",
    "break_even_month",
    "break_even_volume",
    "cheaper_over_horizon",
    "cost_breakdown",
    "cost_comparison",
    "cost_curves",
    "cost_evidence",
    "cost_summary",
    "defaults_for",
    "estimate_advice",
    "estimate_report",
    "horizon_cost",
    "latency_budget",
    "latency_budgets",
    "model_stage",
    "price_warnings",
    "rivals",
    "sensitivity",
    "time_to_ship",
    "weeks_to_ship",
    "without_cost_figures",
]
