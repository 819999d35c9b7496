from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from advisor.views import health

# The admin logs in through the site's login, so its limits, confirmed address and two-factor
# step apply to staff too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("advisor.urls")),
]

handler403 = "advisor.web.htmx.permission_denied"
