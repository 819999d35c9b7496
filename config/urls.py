from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("advisor.urls")),
]

handler403 = "advisor.htmx.permission_denied"
