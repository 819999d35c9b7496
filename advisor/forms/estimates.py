"""The optional numbers step."""

from __future__ import annotations

from crispy_forms.layout import HTML, Layout
from django import forms

from advisor import selectors
from advisor.domain import costs
from advisor.forms.helpers import form_helper
from advisor.models import ModelPrice

# Under the model list: the chosen row's date and source, and its warnings.
PRICE_STATUS = HTML('{% include "advisor/decision_estimate.html#price_status" %}')


class PriceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ModelPrice) -> str:
        return f"{obj.model} (prices of {obj.as_of:%-d %b %Y})"


class EstimateForm(forms.Form):
    """The optional numbers step. Figures arrive as text and are read by the cost model,
    whose errors land on their fields; a blank figure takes its default."""

    price = PriceChoiceField(
        queryset=ModelPrice.objects.none(),
        label="Model and price list",
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the models in the price table."},
    )
    rerank = forms.BooleanField(
        required=False,
        label="Rerank the retrieved passages",
        help_text="Better passages, 100 to 400 ms more per request.",
    )
    # Which model's prices fill the price fields, to tell a change of model from an edit.
    loaded_price = forms.CharField(required=False, widget=forms.HiddenInput)
    latency_target_ms = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=600_000,
        label="Latency target (ms, optional)",
        help_text="How long a user may wait for the first words of an answer.",
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
        self.helper = form_helper()
        self.helper.layout = Layout(
            "price", PRICE_STATUS, *(n for n in self.fields if n != "price")
        )

    def figures(self) -> dict[str, str]:
        """The entered figures, for costs.CostInputs.from_mapping."""
        return {name: self.cleaned_data.get(name, "") for name in costs.NUMERIC_FIELDS}

    def add_estimate_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)
