"""/staff/: the staff console (login required except the login page)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from cqdt.staff import views

app_name = "staff"

urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("units/<str:code>/", views.unit_staff, name="unit_staff"),
    path("districts/<str:code>/staffing/", views.district_staffing, name="district_staffing"),
]
