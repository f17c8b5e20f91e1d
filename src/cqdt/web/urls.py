from django.urls import path

from cqdt.web import reorganisation, views
from cqdt.workdays import views as workdays_views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.unit_browser, name="unit_browser"),
    path("units/<str:code>/", views.unit_page, name="unit_page"),
    path("calendar/", workdays_views.holiday_calendar, name="holidays"),
    path("staff/reorganisation/", reorganisation.plan_page, name="reorganisation"),
    path("forms/sent/<str:key>/", views.form_sent, name="form_sent"),
]
