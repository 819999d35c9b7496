"""Importing a decision exported as JSON."""

from __future__ import annotations

import json

from django import forms

from advisor.domain import text
from advisor.forms.helpers import LeanFields

IMPORT_MAX_BYTES = 256 * 1024


def _no_constant(name: str) -> None:
    # NaN and Infinity are not JSON, though Python's parser reads them; no database stores them.
    raise ValueError(f"{name} is not a JSON number")


class DecisionImportForm(LeanFields, forms.Form):
    """A decision exported as JSON from Advisor, to add to this project."""

    file = forms.FileField(
        label="Exported decision (JSON)",
        help_text="The .json file from a decision's “Download as JSON” link, up to 256 KB.",
        error_messages={
            "required": "Choose the JSON file to import.",
            "empty": "That file is empty.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)

    def clean_file(self) -> dict:
        """The file's JSON object, as `document`; the service checks what is inside."""
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("That file is larger than 256 KB: it is not one of ours.")
        try:
            document = json.loads(upload.read().decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise forms.ValidationError(
                "That file is not JSON: choose a decision's .json export."
            ) from error
        if not isinstance(document, dict):
            raise forms.ValidationError("This is not a decision exported from Advisor.")
        unstorable = next(text.document_problems(document), None)
        if unstorable:
            path, what, problem = unstorable
            raise forms.ValidationError(
                f"Nothing was imported: the {what} at “{path}” in the file {problem}."
            )
        self.cleaned_data["document"] = document
        return upload
