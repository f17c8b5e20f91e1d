from django.urls import path

from cqdt.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("staff/dossiers/", views.queue, name="queue"),
    path("staff/dossiers/counter/", views.counter, name="counter"),
    path("staff/dossiers/tray/", views.signing_tray, name="tray"),
    path("staff/dossiers/<str:code>/", views.dossier_page, name="detail"),
    path("staff/dossiers/<str:code>/form/<str:form>/", views.printable_form, name="form"),
    path(
        "staff/dossiers/<str:code>/attachments/<str:public_id>/",
        views.attachment,
        name="attachment",
    ),
    path(
        "lookup/<str:code>/attachments/<str:public_id>/",
        views.public_attachment,
        name="public_attachment",
    ),
    path("procedures/<slug:slug>/submit/", views.online_submit, name="submit"),
    path("procedures/<slug:slug>/submit/check/", views.online_check, name="submit_check"),
    path("procedures/submitted/<str:code>/", views.online_submitted, name="submitted"),
    path("lookup/", views.lookup, name="lookup"),
    path("lookup/<str:code>/", views.lookup_result, name="lookup_result"),
    path("lookup/<str:code>/rate/", views.rate, name="rate"),
    path("lookup/<str:code>/rated/", views.rated, name="rated"),
    path("lookup/<str:code>/supplement/", views.supplement, name="supplement"),
    path("lookup/<str:code>/supplemented/", views.supplemented, name="supplemented"),
]
