from django.urls import path

from cqdt.dossiers import public_views, views

app_name = "dossiers"

urlpatterns = [
    path("staff/dossiers/", views.queue, name="queue"),
    path("staff/dossiers/counter/", views.counter, name="counter"),
    path("staff/dossiers/tray/", views.signing_tray, name="tray"),
    path("staff/dossiers/log/", views.tracking_log, name="log"),
    path("staff/dossiers/<str:code>/", views.dossier_page, name="detail"),
    path("staff/dossiers/<str:code>/form/<str:form>/", views.printable_form, name="form"),
    path(
        "staff/dossiers/<str:code>/attachments/<str:public_id>/",
        views.attachment,
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
    path("lookup/<str:code>/", public_views.lookup_result, name="lookup_result"),
    path("lookup/<str:code>/rate/", public_views.rate, name="rate"),
    path("lookup/<str:code>/rated/", public_views.rated, name="rated"),
    path("lookup/<str:code>/supplement/", public_views.supplement, name="supplement"),
    path("lookup/<str:code>/supplemented/", public_views.supplemented, name="supplemented"),
]
