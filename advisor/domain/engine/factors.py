"""The framework's quick-reference table: each answer judged for retrieval and for fine-tuning."""

from __future__ import annotations

from advisor.domain.engine.advice import CostEvidence, Factor
from advisor.domain.engine.answers import Answers, Verdict
from advisor.domain.engine.gates import RETRIEVAL_LATENCY

S, P, X = Verdict.STRONG, Verdict.PARTIAL, Verdict.POOR

FACTORS: dict[tuple[str, str], tuple[Verdict, Verdict, str]] = {
    ("problem", "knowledge"): (
        S,
        P,
        "The gap is missing information, which retrieval hands to the model directly; "
        "training facts into the weights is overkill.",
    ),
    ("problem", "behavior"): (
        P,
        S,
        "The gap is how the model responds; prompts help part of the way, and training on "
        "examples is the strongest lever.",
    ),
    ("problem", "both"): (
        P,
        P,
        "Each approach covers one half: retrieval the information, fine-tuning the behaviour.",
    ),
    ("data_change", "frequent"): (
        S,
        X,
        "Retrieval serves an edited document on the very next request; a tuned model would "
        "need retraining after every change.",
    ),
    ("data_change", "occasional"): (
        S,
        P,
        "Retrieval stays current at no extra cost; a tuned model needs a fresh training run "
        "at each revision.",
    ),
    ("data_change", "rare"): (
        S,
        S,
        "Stable data lets a single training run pay for itself over a long time; retrieval "
        "works just as well.",
    ),
    ("latency", "realtime"): (
        P,
        S,
        f"Retrieval adds about {RETRIEVAL_LATENCY} before generation starts, which a real-time "
        "user notices; a tuned model adds no lookup.",
    ),
    ("latency", "interactive"): (
        S,
        S,
        f"Chat users accept the {RETRIEVAL_LATENCY} retrieval adds, so neither approach is "
        "held back.",
    ),
    ("latency", "async"): (
        S,
        S,
        "Nobody waits on the request, so the retrieval step costs nothing that matters.",
    ),
    ("cost", "early_stage"): (
        S,
        X,
        "Retrieval, or a long cached prompt, ships in weeks with no training bill; tuning "
        "needs reviewed pairs and an evaluation set before it can show a gain.",
    ),
    ("cost", "scaling"): (
        S,
        P,
        "Retrieval is still the cheaper path to run; fine-tuning's fixed costs become worth "
        "weighing.",
    ),
    ("cost", "high_volume"): (
        P,
        S,
        "Retrieved context adds input tokens to every query, so its cost grows with traffic; "
        "unless the data keeps changing, a tuned model's cost per query can come out ahead.",
    ),
    ("labeled_data", "none"): (
        S,
        X,
        "Retrieval needs only your documents; fine-tuning needs reviewed input and output "
        "pairs, and building a full set from scratch can take months (three in the "
        "framework's case).",
    ),
    ("labeled_data", "some"): (
        S,
        P,
        "Enough pairs to evaluate against and to try a small tuning run, not yet enough to "
        "rely on one.",
    ),
    ("labeled_data", "plenty"): (
        S,
        S,
        "You hold the input and output pairs that fine-tuning requires; retrieval does not "
        "need them.",
    ),
}

# For a behaviour problem (alone or with a knowledge gap) a tuned model learns only how to
# answer; the facts reach it through the prompt or retrieval, so how often they change is no
# reason against tuning. These rows replace the table's data-change rows there.
BEHAVIOUR_DATA_CHANGE: dict[str, tuple[Verdict, Verdict, str]] = {
    "frequent": (
        S,
        S,
        "Facts that change often belong in the prompt or in retrieval, which serve an edit on "
        "the next request; tone, format and policy do not go stale with them, so a tuned model "
        "keeps its value.",
    ),
    "occasional": (
        S,
        S,
        "Revised facts reach the model through the prompt or retrieval without a new training "
        "run; a tuned model is retrained when the wanted behaviour changes, not the data.",
    ),
    "rare": (
        S,
        S,
        "Stable data suits both: retrieval serves it as it is, and a training run lasts until "
        "the wanted behaviour changes.",
    ),
}

HIGH_VOLUME_CHANGING_DATA = (
    P,
    P,
    "Retrieved context adds input tokens to every query, so its cost grows with traffic; "
    "but with data this changeable, retraining would eat a tuned model's saving.",
)


def factor(key: str, answers: Answers, evidence: CostEvidence | None = None) -> Factor:
    value = getattr(answers, key)
    rag, fine_tuning, why = FACTORS[(key, value)]
    tunes_behaviour = answers.problem != "knowledge"
    if key == "data_change" and tunes_behaviour:
        rag, fine_tuning, why = BEHAVIOUR_DATA_CHANGE[value]
    if (
        key == "cost"
        and value == "high_volume"
        and answers.data_change == "frequent"
        and not tunes_behaviour
    ):
        rag, fine_tuning, why = HIGH_VOLUME_CHANGING_DATA
    if key == "cost" and evidence is not None and value != "early_stage":
        # The team's numbers, not the coarse answer, judge cost; the sentence says which.
        rag, fine_tuning = (P, S) if evidence.favours_fine_tuning else (S, X)
        why = evidence.summary
    return Factor(question=key, answer=value, rag=rag, fine_tuning=fine_tuning, why=why)
