"""A new project, and a project's settings."""

from __future__ import annotations

from django import forms

from advisor.forms.helpers import form_helper
from advisor.models import Project, Team


class ProjectForm(forms.ModelForm):
    """A new project, in one of the teams where the user may create projects."""

    class Meta:
        model = Project
        fields = ["team", "name", "description"]
        labels = {"name": "Project name"}
        help_texts = {
            "team": "Everyone in this team will see the project and its decisions.",
            "description": "Optional: what the product does and who uses it.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "team": {
                "required": "Choose the team the project belongs to.",
                "invalid_choice": "Choose one of your teams where you are an editor or owner.",
            }
        }

    def __init__(self, *args, teams=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "team" in self.fields:
            self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
            self.fields["team"].empty_label = None
        self.helper = form_helper()


class ProjectEditForm(ProjectForm):
    class Meta(ProjectForm.Meta):
        fields = ["name", "description", "archived"]
        help_texts = {
            **ProjectForm.Meta.help_texts,
            "archived": "Archived projects leave the main list; their decisions are kept.",
        }
