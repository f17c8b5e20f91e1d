"""/staff/…: accounts of a unit's officials, and the invitation's first-password page."""

from django.urls import path

from cqdt.accounts import sso, views

app_name = "accounts"

urlpatterns = [
    path("units/<str:code>/accounts/", views.unit_accounts, name="unit_accounts"),
    path("account/activate/", views.activate, name="activate"),
    path("account/security/", views.security, name="security"),
    path("account/sso/link/", views.sso_link, name="sso_link"),
    path("oidc/authenticate/", sso.OidcStartView.as_view(), name="oidc_start"),
    path("oidc/callback/", sso.OidcCallbackView.as_view(), name="oidc_callback"),
]
