"""Asking the team for their answers, and settling a question they answered."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from advisor.forms.helpers import IdMultipleChoiceField, form_helper
from advisor.models import ANSWER_KEYS, SETTLE_NOTE_MAX_LENGTH, Membership

DEADLINE_MAX_DAYS = 365


class MemberChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.get_username()} ({obj.get_role_display().lower()})"


class AskForm(forms.Form):
    """Whom to ask (some members, or everyone) and an optional deadline; the one asking
    answers too."""

    people = MemberChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Whom to ask",
        help_text="Each person answers on their own; nobody sees the others' answers until "
        "they have given theirs. Viewers who are asked may answer this decision, nothing more.",
    )
    everyone = forms.BooleanField(required=False, label="Ask everyone in the team")
    deadline = forms.DateField(
        required=False,
        label="Answer by (optional)",
        help_text="Those who have not answered get a reminder the day before.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date such as 2026-12-18."},
    )

    def __init__(self, *args, members, asker: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["people"].queryset = members.exclude(user=asker)
        self.helper = form_helper()

    def clean_deadline(self) -> date | None:
        deadline = self.cleaned_data["deadline"]
        today = timezone.localdate()
        if deadline is not None and not today <= deadline <= today + timedelta(DEADLINE_MAX_DAYS):
            raise forms.ValidationError(
                f"Choose a date from today to {DEADLINE_MAX_DAYS} days ahead."
            )
        return deadline

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("everyone") and not data.get("people"):
            self.add_error("people", "Choose at least one person, or ask everyone in the team.")
        return data

    def chosen_users(self) -> list[AbstractBaseUser]:
        data = self.cleaned_data
        chosen = self.fields["people"].queryset if data["everyone"] else data["people"]
        return [membership.user for membership in chosen.select_related("user")]


class SettleForm(forms.Form):
    """One question's settled answer: one of the values people gave, and why."""

    key = forms.ChoiceField(choices=ANSWER_KEYS, widget=forms.HiddenInput)
    value = forms.CharField(
        max_length=32, error_messages={"required": "Choose the answer to take."}
    )
    note = forms.CharField(
        required=False,
        max_length=SETTLE_NOTE_MAX_LENGTH,
        error_messages={
            "max_length": f"Keep the note to {SETTLE_NOTE_MAX_LENGTH} characters or fewer."
        },
    )
