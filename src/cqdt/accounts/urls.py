"""/staff/…: accounts of a unit's officials, the invitation's first-password page, account
security, and the administrators' keys for integrators."""

from django.urls import path

from cqdt.accounts import key_views, sso, views

app_name = "accounts"

urlpatterns = [
    path("units/<str:code>/accounts/", views.unit_accounts, name="unit_accounts"),
    path("account/activate/", views.activate, name="activate"),
    path("account/reset/", views.password_reset, name="password_reset"),
    path("account/reset/request/", views.password_reset_request, name="password_reset_request"),
    path("account/security/", views.security, name="security"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/sso/link/", views.sso_link, name="sso_link"),
    path("oidc/authenticate/", sso.OidcStartView.as_view(), name="oidc_start"),
    path("oidc/callback/", sso.OidcCallbackView.as_view(), name="oidc_callback"),
    path("keys/", key_views.api_keys, name="api_keys"),
    path(
        "keys/<str:key_id>/revoke/",
        key_views.api_key_change,
        {"move": "revoke"},
        name="api_key_revoke",
    ),
    path(
        "keys/<str:key_id>/rotate/",
        key_views.api_key_change,
        {"move": "rotate"},
        name="api_key_rotate",
    ),
]
