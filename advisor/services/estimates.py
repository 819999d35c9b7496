"""A decision's numbers (the optional estimate step): saving the figures the team typed, and
removing them. Reading them back is advisor.selectors.estimates' job; the advice they lead
to, advisor.domain.costs.advice's."""

from __future__ import annotations

from django.db import transaction

from advisor import selectors
from advisor.domain import costs
from advisor.domain.refusals import DecisionAlreadyComplete
from advisor.models import Decision, Estimate, ModelPrice
from advisor.services.decisions import refine_save


@transaction.atomic
def estimate_save(
    *,
    decision: Decision,
    price: ModelPrice,
    estimate: costs.CostInputs,
    latency_target_ms: int | None,
    tuned_price: ModelPrice | None = None,
) -> Estimate:
    """Keep the figures and choices the team changed from the defaults, until the decision is
    completed; `tuned_price` is the row of the model to tune when it is not `price`'s.

    Defaults are not stored: they are worked out again from the answers and the price table
    when the decision is completed, so a changed answer still counts.
    """
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_complete:
        raise DecisionAlreadyComplete(
            "This decision was completed meanwhile: its recommendation is saved."
        )
    answers = selectors.decision_answers(decision=decision, choices_only=True)
    values = {key: answer.value for key, answer in answers.items()}
    before = selectors.estimate_defaults(
        {**values, **selectors.refine_values(decision=decision)}, price, tuned_price
    )
    # The corpus size is the refine step's answer, entered once: a new figure is saved there.
    corpus = estimate.value_of("corpus_tokens")
    if corpus != before["corpus_tokens"]:
        refine_save(decision=decision, values={"corpus_tokens": corpus}, notes={})
    entered = {name: estimate.value_of(name) for name in costs.NUMERIC_FIELDS}
    entered |= {"batch": estimate.batch, "vector_store": estimate.vector_store}
    typed = {
        name: value
        for name, value in entered.items()
        if name != "corpus_tokens" and value != before.get(name)
    }
    row, _ = Estimate.objects.update_or_create(
        decision=decision,
        defaults={
            "price": price,
            "tuned_price": tuned_price,
            "inputs": typed,
            "rerank": estimate.rerank,
            "latency_target_ms": latency_target_ms,
        },
    )
    return row


@transaction.atomic
def estimate_remove(*, decision: Decision) -> None:
    Estimate.objects.filter(
        decision=decision, decision__status=Decision.Status.IN_PROGRESS
    ).delete()
