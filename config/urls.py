from django.contrib import admin
from django.urls import include, path

from advisor.views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("advisor.urls")),
]

handler403 = "advisor.web.htmx.permission_denied"
