from django.contrib import admin
from django.urls import include, path

from cqdt.config.api import api
from cqdt.web import probes
from cqdt.web import views as web_views

# Each context's pages at its prefix, in this order: the first route that matches answers.
CONTEXT_PAGES = (
    ("", "dossiers"),
    ("", "procedures"),
    ("", "documents"),
    ("", "feedback"),
    ("staff/", "staff"),
    ("staff/", "authority"),
    ("staff/", "accounts"),
    ("", "monitoring"),
    ("", "oversight"),
    ("", "budget"),
    ("", "web"),
)

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
    path("metrics", probes.metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *(path(prefix, include(f"cqdt.{context}.urls")) for prefix, context in CONTEXT_PAGES),
]

handler500 = "cqdt.web.views.server_error"
