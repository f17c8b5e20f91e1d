from django.urls import path

from cqdt.procedures import views

app_name = "procedures"

urlpatterns = [
    path("procedures/", views.catalog, name="catalog"),
    # After dossiers' "procedures/submitted/<code>/" and "procedures/<slug>/submit/", which have
    # one segment more and so never match this pattern.
    path("procedures/<slug:slug>/", views.detail, name="detail"),
]
