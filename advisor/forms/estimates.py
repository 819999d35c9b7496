"""The optional numbers step."""

from __future__ import annotations

from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms

from advisor import selectors
from advisor.domain import costs
from advisor.forms.helpers import IdChoiceField, form_helper
from advisor.models import ModelPrice

# Under the model list: the chosen row's date and source, and its warnings.
PRICE_STATUS = HTML('{% include "advisor/decision_estimate.html#price_status" %}')
VECTOR_STORE_LABELS = {
    "pgvector": "pgvector in the PostgreSQL you run ($0 more)",
    "managed": "A managed, usage-priced vector database",
}


class PriceChoiceField(IdChoiceField):
    def label_from_instance(self, obj: ModelPrice) -> str:
        return f"{obj.model} (prices of {obj.as_of:%-d %b %Y})"


def loaded_key(price: ModelPrice, tuned_price: ModelPrice | None) -> str:
    """Which rows' prices fill the price fields, to tell a change of model from an edit: the
    base row's id, and the tuned row's after a colon when there is one."""
    return f"{price.pk}:{tuned_price.pk}" if tuned_price else str(price.pk)


class EstimateForm(forms.Form):
    """The optional numbers step. Figures arrive as text and are read by the cost model,
    whose errors land on their fields; a blank figure takes its default."""

    price = PriceChoiceField(
        queryset=ModelPrice.objects.none(),
        label="Model and price list",
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the models in the price table."},
    )
    tuned_price = PriceChoiceField(
        queryset=ModelPrice.objects.none(),
        required=False,
        label="Model to tune (optional)",
        empty_label="The same model",
        help_text="Tune a smaller model to replace the one above (distillation).",
        error_messages={"invalid_choice": "Choose one of the models in the price table."},
    )
    loaded_price = forms.CharField(required=False, widget=forms.HiddenInput)
    batch = forms.BooleanField(
        required=False, label=costs.CHOICE_FIELDS["batch"], help_text=costs.DEFAULT_SOURCES["batch"]
    )
    latency_target_ms = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=600_000,
        label="Latency target (ms, optional)",
        help_text="How long a user may wait for the first words of an answer.",
    )
    rerank = forms.BooleanField(
        required=False,
        label=costs.CHOICE_FIELDS["rerank"],
        help_text="Better passages, 100 to 400 ms more per request, and the reranker's fee.",
    )
    # Not required: a form posted without it (an older page, a script) takes the default.
    vector_store = forms.ChoiceField(
        required=False,
        label=costs.CHOICE_FIELDS["vector_store"],
        choices=[(key, VECTOR_STORE_LABELS[key]) for key in costs.VECTOR_STORES],
        help_text=costs.DEFAULT_SOURCES["vector_store"],
    )

    def __init__(
        self,
        *args,
        defaults: dict[str, object],
        price: ModelPrice,
        warnings: tuple[str, ...] = (),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The offered rows, and the one shown even if retired (a saved estimate's, or one
        # named in the address): it still computes, as the API still accepts it by name.
        self.fields["price"].queryset = selectors.prices_offered(keep=price)
        tuned = self.initial.get("tuned_price")
        self.fields["tuned_price"].queryset = selectors.prices_offered(
            keep=tuned if isinstance(tuned, ModelPrice) else None
        )
        self.fields["price"].widget.attrs["aria-describedby"] = "price-status"
        self.price_shown = price
        self.price_warnings = warnings
        dated = f"Price table: {price.model}, recorded {price.as_of:%-d %b %Y}."
        for name in costs.NUMERIC_FIELDS:
            spec = costs.FIELDS[name]
            self.fields[name] = forms.CharField(
                label=spec.label,
                required=False,
                initial=defaults.get(name),
                max_length=40,
                help_text=dated if name in costs.PRICE_FIELDS else "",
                widget=forms.TextInput(attrs={"inputmode": "numeric" if spec.whole else "decimal"}),
            )
        for name in costs.CHOICE_FIELDS:
            self.fields[name].initial = defaults.get(name)
        groups = dict(costs.FIELD_GROUPS)
        self.helper = form_helper()
        self.helper.layout = Layout(
            Fieldset("Model", "price", PRICE_STATUS, "tuned_price", "loaded_price"),
            Fieldset("Traffic", *groups["Traffic"], "batch", "latency_target_ms"),
            Fieldset("Prompt", *groups["Prompt"]),
            Fieldset("Retrieval", *groups["Retrieval"], "rerank", "vector_store"),
            Fieldset("Tuning", *groups["Tuning"]),
            Fieldset("People", *groups["People"]),
            Fieldset("Prices", *costs.PRICE_FIELDS),
        )

    def figures(self) -> dict[str, object]:
        """The entered figures and choices, for costs.CostInputs.from_mapping."""
        return {name: self.cleaned_data.get(name, "") for name in costs.INPUT_FIELDS}

    def add_estimate_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            field = "tuned_price" if name == "tuned_model" else name
            self.add_error(field if field in self.fields else None, message)
