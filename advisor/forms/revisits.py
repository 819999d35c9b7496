"""Comparing two of a project's completed decisions."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format

from advisor.domain.engine import Approach
from advisor.forms.helpers import form_helper
from advisor.models import Decision


class CompareForm(forms.Form):
    """Two of a project's completed decisions; the earlier one is shown as "before"."""

    CHOICE_ERRORS = {
        "required": "Choose a decision.",
        "invalid_choice": "Choose one of this project's completed decisions.",
    }
    a = forms.TypedChoiceField(label="First decision", coerce=int, error_messages=CHOICE_ERRORS)
    b = forms.TypedChoiceField(label="Second decision", coerce=int, error_messages=CHOICE_ERRORS)

    def __init__(self, *args, decisions: list[Decision], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(decision.pk, _decision_choice(decision)) for decision in decisions]
        self.fields["a"].choices = self.fields["b"].choices = choices
        if not self.is_bound and decisions:
            # Unless the link named them: the newest against the one before it.
            ids = [str(decision.pk) for decision in decisions]
            first = str(self.initial.get("a") or ids[min(1, len(ids) - 1)])
            second = str(self.initial.get("b") or next((i for i in ids if i != first), first))
            self.initial = {"a": first, "b": second}
        self.helper = form_helper()

    def pair(self) -> tuple[int, int]:
        return self.cleaned_data["a"], self.cleaned_data["b"]


def _decision_choice(decision: Decision) -> str:
    completed = date_format(timezone.localtime(decision.completed_at), "j M Y")
    approach = Approach.label_of(decision.approach)
    return f"{decision.title} · {completed} · {approach}"
