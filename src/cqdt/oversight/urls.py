from django.urls import path

from cqdt.oversight import views

app_name = "oversight"

urlpatterns = [
    path("staff/oversight/", views.index, name="index"),
    path("staff/oversight/petitions/", views.petitions, name="petitions"),
    path("staff/oversight/conferences/flags/", views.conference_flags, name="flags"),
    path("staff/oversight/wards/<str:code>/conferences/", views.conferences, name="conferences"),
    path("staff/oversight/conferences/<str:conference_id>/", views.conference, name="conference"),
    path("staff/oversight/wards/<str:code>/report/", views.ward_report, name="report"),
    path("staff/oversight/wards/<str:code>/receptions/", views.receptions, name="receptions"),
    path("staff/oversight/councils/<str:council_id>/questions/", views.questions, name="questions"),
    path(
        "staff/oversight/councils/<str:council_id>/questions/new/",
        views.question_new,
        name="question_new",
    ),
    path("staff/oversight/councils/<str:council_id>/meetings/", views.meetings, name="meetings"),
    path("staff/oversight/petitions/<str:petition_id>/", views.petition, name="petition"),
    path("staff/oversight/meetings/<str:meeting_id>/", views.meeting, name="meeting"),
    path("staff/oversight/questions/<str:question_id>/", views.question, name="question"),
    path("staff/oversight/commitments/<str:commitment_id>/", views.commitment, name="commitment"),
]
