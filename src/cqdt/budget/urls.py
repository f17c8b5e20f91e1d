from django.urls import path

from cqdt.budget import views

app_name = "budget"

urlpatterns = [
    path("staff/budget/", views.report, name="report"),
    path("staff/budget/disclosure/", views.disclosure, name="disclosure"),
]
