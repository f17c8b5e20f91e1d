from django.urls import path

from cqdt.dossiers import lookup_code_views, public_views
from cqdt.dossiers.views import dossier, intake, lists, printed

app_name = "dossiers"

urlpatterns = [
    path("staff/dossiers/", lists.queue, name="queue"),
    path("staff/dossiers/counter/", intake.counter, name="counter"),
    path("staff/dossiers/tray/", lists.signing_tray, name="tray"),
    path("staff/dossiers/log/", printed.tracking_log, name="log"),
    path("staff/dossiers/<str:code>/", dossier.dossier_page, name="detail"),
    path("staff/dossiers/<str:code>/form/<str:form>/", printed.printable_form, name="form"),
    path(
        "staff/dossiers/<str:code>/attachments/<str:public_id>/",
        dossier.attachment,
        name="attachment",
    ),
    path(
        "lookup/<str:code>/attachments/<str:public_id>/",
        public_views.public_attachment,
        name="public_attachment",
    ),
    path("procedures/<slug:slug>/submit/", public_views.online_submit, name="submit"),
    path("procedures/<slug:slug>/submit/check/", public_views.online_check, name="submit_check"),
    path("procedures/submitted/<str:code>/", public_views.online_submitted, name="submitted"),
    path("lookup/", public_views.lookup, name="lookup"),
    # Before lookup/<code>/, which would take "new-code" for a dossier's code.
    path("lookup/new-code/", lookup_code_views.lookup_code, name="lookup_code"),
    path("lookup/<str:code>/", public_views.lookup_result, name="lookup_result"),
    path("lookup/<str:code>/rate/", public_views.rate, name="rate"),
    path("lookup/<str:code>/rated/", public_views.rated, name="rated"),
    path("lookup/<str:code>/supplement/", public_views.supplement, name="supplement"),
    path("lookup/<str:code>/supplemented/", public_views.supplemented, name="supplemented"),
]
