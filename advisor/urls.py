from django.urls import path
from django.views.generic import RedirectView

from advisor import api, views

app_name = "advisor"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="advisor:project_list"), name="home"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/step/<int:step>/", views.decision_step, name="decision_step"),
    path("decisions/<int:pk>/review/", views.decision_review, name="decision_review"),
    path("decisions/<int:pk>/complete/", views.decision_complete, name="decision_complete"),
    path("api/v1/evaluate", api.evaluate, name="api_evaluate"),
]
