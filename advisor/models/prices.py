"""The dated price table: what each model costs, as recorded on a date, edited in the admin."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from advisor.domain.costs import LIMITS

MONEY = {"max_digits": 12, "decimal_places": 4}


def money(name: str) -> dict:
    """A price column, bounded as the cost model bounds the figure."""
    return {**MONEY, "validators": [MinValueValidator(0), MaxValueValidator(LIMITS[name])]}


class ModelPrice(models.Model):
    """One model's prices in US dollars, as recorded on `as_of`.

    Estimates copy the row's figures and date into the decision's snapshot, so editing a row
    later never changes a saved decision. The shipped rows come from advisor/data/prices.json
    (`services.prices_load`); a row no longer offered stays for the estimates that chose it.
    """

    class Size(models.TextChoices):
        LARGE = "large", "Large"
        SMALL = "small", "Small"

    model = models.CharField(max_length=80, unique=True)
    provider = models.CharField(max_length=40, blank=True, db_default="")
    size = models.CharField(max_length=5, choices=Size, db_default=Size.LARGE)
    as_of = models.DateField(help_text="The date these prices were read from the vendor.")
    input_per_m = models.DecimalField("input, per million tokens", **money("input_per_m"))
    cached_input_per_m = models.DecimalField(
        "cached input, per million tokens",
        null=True,
        blank=True,
        help_text="Input read from the prompt cache; empty: the full input price.",
        **money("cached_input_per_m"),
    )
    output_per_m = models.DecimalField("output, per million tokens", **money("output_per_m"))
    tuned_input_per_m = models.DecimalField(
        "fine-tuned input, per million tokens", **money("tuned_input_per_m")
    )
    tuned_output_per_m = models.DecimalField(
        "fine-tuned output, per million tokens", **money("tuned_output_per_m")
    )
    training_per_m = models.DecimalField("training, per million tokens", **money("training_per_m"))
    hosting_per_hour = models.DecimalField(
        "fine-tuned hosting, per hour",
        help_text="Charged while the tuned model is deployed, used or not; 0 when none.",
        **money("hosting_per_hour"),
    )
    source = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=200, blank=True, db_default="")
    tuning_open = models.BooleanField(
        "fine-tuning open",
        db_default=True,
        help_text="Whether the vendor takes fine-tuning jobs from new customers.",
    )
    retires_on = models.DateField(
        null=True, blank=True, help_text="The base model's announced retirement date."
    )
    offered = models.BooleanField(
        db_default=True,
        help_text="Shown in the model lists; a retired row stays for the estimates that used it.",
    )
    is_default = models.BooleanField(
        "default", db_default=False, help_text="The row the numbers step and the API start from."
    )

    class Meta:
        ordering = ["model"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="model_price_one_default",
            ),
            models.CheckConstraint(
                condition=models.Q(cached_input_per_m__gte=0),
                name="model_price_cached_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    input_per_m__gte=0,
                    output_per_m__gte=0,
                    tuned_input_per_m__gte=0,
                    tuned_output_per_m__gte=0,
                    training_per_m__gte=0,
                    hosting_per_hour__gte=0,
                ),
                name="model_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} (prices of {self.as_of:%d %b %Y})"


class Estimate(models.Model):
    """The numbers a team enters for a decision before completing it (optional).

    A draft: at completion the figures and results are copied into the recommendation
    snapshot, and this row is only the starting point if the team revisits its inputs.
    """

    decision = models.OneToOneField(
        "advisor.Decision", on_delete=models.CASCADE, related_name="estimate"
    )
    price = models.ForeignKey(ModelPrice, on_delete=models.SET_NULL, null=True, blank=True)
    # The model that is tuned when it is not `price`'s (distillation onto a smaller model).
    tuned_price = models.ForeignKey(
        ModelPrice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Only the figures and choices the team changed from the defaults (advisor.domain.costs
    # field names; rerank has its own column): the defaults follow the answers and the price
    # rows, and are worked out again at completion.
    inputs = models.JSONField(default=dict)
    rerank = models.BooleanField(default=False)
    latency_target_ms = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Estimate for decision {self.decision_id}"
