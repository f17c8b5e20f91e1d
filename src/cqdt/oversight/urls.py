from django.urls import path

from cqdt.oversight import views

app_name = "oversight"

urlpatterns = [
    path("staff/oversight/", views.index, name="index"),
    path("staff/oversight/petitions/", views.petitions, name="petitions"),
    path("staff/oversight/conferences/flags/", views.conference_flags, name="flags"),
    path("staff/oversight/wards/<str:code>/conferences/", views.conferences, name="conferences"),
    path("staff/oversight/wards/<str:code>/report/", views.ward_report, name="report"),
    path("staff/oversight/councils/<str:council_id>/questions/", views.questions, name="questions"),
]
