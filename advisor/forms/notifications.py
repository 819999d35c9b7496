"""Which emails a person gets."""

from __future__ import annotations

from django import forms

from advisor.forms.helpers import form_helper
from advisor.models import OPTIONAL_KINDS, Kind


class NotificationSettingsForm(forms.Form):
    """One checkbox per kind a person may turn off, ticked for the kinds they get."""

    def __init__(self, *args, kinds_off: set[str] = frozenset(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in OPTIONAL_KINDS:
            self.fields[kind] = forms.BooleanField(
                label=Kind(kind).label, required=False, initial=kind not in kinds_off
            )
        self.helper = form_helper()

    @property
    def kinds_off(self) -> set[str]:
        return {kind for kind in OPTIONAL_KINDS if not self.cleaned_data[kind]}
