"""/staff/units/<code>/delegations/ and /signing/: the authority pages of the staff console."""

from django.urls import path

from cqdt.authority import views

app_name = "authority"

urlpatterns = [
    path("units/<str:code>/delegations/", views.delegations, name="delegations"),
    path(
        "units/<str:code>/delegations/<uuid:delegation_id>/revoke/",
        views.delegation_revoke,
        name="delegation_revoke",
    ),
    path("units/<str:code>/signing/", views.signing, name="signing"),
]
