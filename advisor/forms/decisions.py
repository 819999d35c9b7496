"""Starting a decision, and one step of its wizard."""

from __future__ import annotations

from django import forms

from advisor.domain.questions import Question
from advisor.forms.helpers import form_helper
from advisor.models import NOTE_MAX_LENGTH, Decision


class DecisionStartForm(forms.ModelForm):
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
        self.helper = form_helper()


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
