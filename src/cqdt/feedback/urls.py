from django.urls import path, re_path

from cqdt.feedback import open311
from cqdt.feedback.views import follow_up, inbox, public, report_form

app_name = "feedback"

FMT = r"\.(?P<fmt>[a-z0-9]+)$"

urlpatterns = [
    re_path(r"^open311/v2/services" + FMT, open311.services_list, name="open311_services"),
    re_path(
        r"^open311/v2/services/(?P<service_code>[^/]+?)" + FMT,
        open311.service_definition,
        name="open311_service",
    ),
    re_path(r"^open311/v2/requests" + FMT, open311.requests_collection, name="open311_requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[^/]+?)" + FMT,
        open311.request_detail,
        name="open311_request",
    ),
    re_path(
        r"^open311/v2/tokens/(?P<token>[^/]+?)" + FMT, open311.token_detail, name="open311_token"
    ),
    path("feedback/photos/<uuid:photo_id>/", public.photo, name="photo"),
    path("feedback/", public.public_list, name="list"),
    path("feedback/new/", report_form.report_new, name="new"),
    path("feedback/submitted/<str:code>/", report_form.report_submitted, name="submitted"),
    path("feedback/follow-up/", follow_up.follow_up, name="follow_up"),
    path("feedback/follow-up/<str:code>/", follow_up.follow_up_report, name="follow_up_report"),
    path("feedback/follow-up/<str:code>/close/", follow_up.close, name="close"),
    path("feedback/follow-up/<str:code>/reopen/", follow_up.reopen, name="reopen"),
    path("feedback/follow-up/<str:code>/done/", follow_up.moved, name="moved"),
    path("staff/feedback/", inbox.inbox, name="inbox"),
    path("staff/feedback/<str:code>/", inbox.report_page, name="staff_report"),
]
