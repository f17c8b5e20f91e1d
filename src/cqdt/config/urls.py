from django.contrib import admin
from django.urls import include, path

from cqdt.config.api import api
from cqdt.web import probes
from cqdt.web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
    path("metrics", probes.metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("cqdt.dossiers.urls")),
    path("", include("cqdt.procedures.urls")),
    path("", include("cqdt.documents.urls")),
    path("", include("cqdt.feedback.urls")),
    path("staff/", include("cqdt.staff.urls")),
    path("staff/", include("cqdt.authority.urls")),
    path("staff/", include("cqdt.accounts.urls")),
    path("", include("cqdt.monitoring.urls")),
    path("", include("cqdt.oversight.urls")),
    path("", include("cqdt.budget.urls")),
    path("", include("cqdt.web.urls")),
]

handler500 = "cqdt.web.views.server_error"
