"""Starting a decision, and one step of its wizard."""

from __future__ import annotations

from crispy_forms.layout import HTML, Div, Layout
from django import forms

from advisor.domain.costs.inputs import NOT_A_NUMBER, parsed
from advisor.domain.questions import Question
from advisor.domain.refine import (
    CORPUS_TOKENS_HELP,
    CORPUS_TOKENS_PROMPT,
    CORPUS_TOKENS_TITLE,
    REFINE_KEYS,
    refine_question,
    refine_title,
)
from advisor.forms.helpers import LeanFields, form_helper
from advisor.models import NOTE_MAX_LENGTH, Decision

NOT_SURE = "Not sure"


class DecisionStartForm(LeanFields, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["title"]
        labels = {"title": "What are you deciding?"}
        help_texts = {
            "title": "For example “Support bot answers”. Leave it empty to use today's date."
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False


class AnswerForm(forms.Form):
    """One wizard step: a choice among the question's answers and an optional note.

    Rendered by hand in templates/advisor/decision_wizard.html, not by crispy.
    """

    value = forms.ChoiceField(widget=forms.RadioSelect)
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note (optional)",
        help_text="Context for whoever reads this decision later, such as a figure or a source.",
    )

    def __init__(self, *args, question: Question, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        value = self.fields["value"]
        value.label = question.prompt
        value.help_text = question.help
        # The wizard template writes the radios out from `question.choices` itself.
        value.choices = [(choice.value, choice.label) for choice in question.choices]
        value.error_messages = {
            "required": "Choose one of the answers to continue.",
            "invalid_choice": "That is not one of the answers offered; choose one of those shown.",
        }
        self.fields["note"].error_messages["max_length"] = (
            f"Keep the note to {NOTE_MAX_LENGTH:,} characters or fewer."
        )


class RefineForm(forms.Form):
    """The optional refine step: four choices, each with “Not sure” (left unanswered), the
    corpus size as typed (“200,000” is read as the numbers step reads it) and a note on each.

    `values()` and `notes()` give what services.refine_save takes.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key in REFINE_KEYS:
            self.fields[key] = _corpus_field() if key == "corpus_tokens" else _choice_field(key)
            self.fields[f"{key}_note"] = forms.CharField(
                required=False,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                label=f"Note on “{refine_title(key)}” (optional)",
                error_messages={
                    "max_length": f"Keep the note to {NOTE_MAX_LENGTH:,} characters or fewer."
                },
            )
        self.helper = form_helper()
        self.helper.layout = Layout(
            *(
                Div(HTML(f'<h3 class="h6 mt-4">{refine_title(key)}</h3>'), key, f"{key}_note")
                for key in REFINE_KEYS
            )
        )

    def clean_corpus_tokens(self) -> int | None:
        text = self.cleaned_data["corpus_tokens"]
        if not text:
            return None
        value, error = parsed("corpus_tokens", text)
        if error == NOT_A_NUMBER:
            error = "Enter a whole number of tokens, such as 200000 or 200,000."
        if error:
            raise forms.ValidationError(f"{CORPUS_TOKENS_TITLE}: {error}")
        return int(value)

    def clean(self) -> dict:
        cleaned = super().clean()
        for key in REFINE_KEYS:
            unanswered = key in cleaned and cleaned[key] is None
            if unanswered and cleaned.get(f"{key}_note"):
                self.add_error(
                    f"{key}_note", "A note needs an answer: choose one, or clear the note."
                )
        return cleaned

    def values(self) -> dict[str, str | int | None]:
        return {key: self.cleaned_data[key] for key in REFINE_KEYS}

    def notes(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"{key}_note"] for key in REFINE_KEYS}


def _choice_field(key: str) -> forms.TypedChoiceField:
    question = refine_question(key)
    return forms.TypedChoiceField(
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        label=question.prompt,
        help_text=question.help,
        choices=[(c.value, f"{c.label}: {c.help}") for c in question.choices] + [("", NOT_SURE)],
        error_messages={
            "invalid_choice": "That is not one of the answers offered; choose one of those shown."
        },
    )


def _corpus_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=40,
        label=CORPUS_TOKENS_PROMPT,
        help_text=f"{CORPUS_TOKENS_HELP} Leave it empty if you are not sure.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
