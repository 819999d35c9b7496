"""The numbers behind the advice: cost over 24 months, latency budget and time to ship.

Pure Python and deterministic, like advisor/domain/engine.py: the standard library and the engine's
`Approach` (advice.py also runs the engine on the numbers' evidence), nothing from Django, so
every figure is checked by hand in tests/test_costs.py and every formula is written out in
docs/cost-model.md. Bump COST_MODEL_VERSION whenever a formula,
a default or a sentence changes; saved decisions keep the version they were computed with.

All money is in US dollars. Q is the monthly query volume; prompt, context and output are
tokens per request; prices are dollars per million tokens, so "/ 1e6" turns tokens into
millions of tokens. r is retrains_per_year (how often the data changes enough to act on it).

Prompt engineering
    upfront = 0
    running = Q x (prompt x input + output x output_price) / 1e6

Retrieval (RAG)
    corpus_embedding = corpus x embedding / 1e6
    upfront = corpus_embedding
    running = Q x ((prompt + context) x input + output x output_price) / 1e6
            + Q x prompt x embedding / 1e6              embedding each question
            + vector_store                              per month
            + corpus_embedding x r / 12                 re-embedding at each data change

Fine-tuning (no retrieved context: the knowledge is trained in)
    training_run = training_tokens x epochs x training_price / 1e6
    upfront = labelled_pairs_needed x labelling_cost_per_pair + training_run
    running = hosting_per_hour x 730
            + Q x (prompt x tuned_input + output x tuned_output) / 1e6
            + training_run x r / 12                     retraining at each data change

For every approach, month 1 costs upfront + running and every later month costs running, so
the cumulative cost after m months is upfront + m x running. Cost per query is the running
(month 2) cost divided by Q, fixed costs included; it is 0 when Q is 0, there being no query to
divide by.

Each cumulative cost is a + b x Q in the query volume (and affine in every other single
input), so break-even points and sensitivity thresholds are solved exactly. The arithmetic is
done on fractions.Fraction (every float converts exactly), and only the results are turned
back into floats: comparisons never depend on rounding.
"""

from advisor.domain.costs.advice import cost_evidence, estimate_advice
from advisor.domain.costs.defaults import DEFAULT_SOURCES, defaults_for
from advisor.domain.costs.estimate import SIZES, CostInputs, Prices
from advisor.domain.costs.freshness import STALE_AFTER_MONTHS, price_warnings
from advisor.domain.costs.inputs import (
    ESTIMATE_FIELDS,
    FIELDS,
    LIMITS,
    MINIMUMS,
    NUMERIC_FIELDS,
    PRICE_FIELDS,
    InvalidEstimate,
)
from advisor.domain.costs.latency import (
    RETRIEVAL_MS,
    LatencyBudget,
    LatencyVerdict,
    Stage,
    latency_budget,
    latency_budgets,
)
from advisor.domain.costs.money import (
    COSTED_APPROACHES,
    HORIZON_MONTHS,
    HOURS_PER_MONTH,
    CostCurve,
    break_even_month,
    break_even_volume,
    cheaper_over_horizon,
    cost_breakdown,
    cost_comparison,
    cost_curves,
    cost_summary,
    horizon_cost,
    sensitivity,
)
from advisor.domain.costs.report import COST_MODEL_VERSION, estimate_report
from advisor.domain.costs.shipping import Milestone, time_to_ship, weeks_to_ship

__all__ = [
    "COSTED_APPROACHES",
    "COST_MODEL_VERSION",
    "DEFAULT_SOURCES",
    "ESTIMATE_FIELDS",
    "FIELDS",
    "HORIZON_MONTHS",
    "HOURS_PER_MONTH",
    "LIMITS",
    "MINIMUMS",
    "NUMERIC_FIELDS",
    "PRICE_FIELDS",
    "RETRIEVAL_MS",
    "SIZES",
    "STALE_AFTER_MONTHS",
    "CostCurve",
    "CostInputs",
    "InvalidEstimate",
    "LatencyBudget",
    "LatencyVerdict",
    "Milestone",
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
    "price_warnings",
    "sensitivity",
    "time_to_ship",
    "weeks_to_ship",
]
