"""The peer to beat, and the ceiling every figure is divided by.

`PeerWizard` is what a Django developer reaches for first for a five-step form: the app's five
questions (advisor/domain/questions.py) as a django-formtools SessionWizardView, each step a
plain form rendered by crispy-bootstrap5 into a whole page, its state kept in the session.
`bare` is the least a Django view can do: the same middleware, then a fixed HttpResponse.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from formtools.wizard.views import SessionWizardView

from advisor.domain.questions import QUESTIONS, Question


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _step_form(question: Question) -> type[forms.Form]:
    return type(
        f"{question.key.title()}Form",
        (forms.Form,),
        {
            "value": forms.ChoiceField(
                label=question.prompt,
                help_text=question.help,
                choices=[(choice.value, choice.label) for choice in question.choices],
                widget=forms.RadioSelect,
            ),
            "note": forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3})),
        },
    )


class PeerWizard(LoginRequiredMixin, SessionWizardView):
    form_list = [(question.key, _step_form(question)) for question in QUESTIONS]
    template_name = "peers/wizard.html"

    def done(self, form_list, **kwargs) -> HttpResponse:
        answers = ", ".join(f"{form.cleaned_data['value']}" for form in form_list)
        return HttpResponse(f"Saved: {answers}", content_type="text/plain")
