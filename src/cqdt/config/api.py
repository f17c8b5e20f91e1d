"""The JSON API under /api/v1/: one NinjaAPI, one router per context."""

from ninja import Swagger

from cqdt.accounts.api import public_router as public_accounts_router
from cqdt.accounts.api import router as accounts_router
from cqdt.authority.api import router as authority_router
from cqdt.budget.api import router as budget_router
from cqdt.core.api_errors import CqdtNinjaAPI, install_error_handlers
from cqdt.documents.api import public_router as public_documents_router
from cqdt.documents.api import router as documents_router
from cqdt.dossiers.api import public_router as public_dossiers_router
from cqdt.dossiers.api import router as dossiers_router
from cqdt.dossiers.attachments_api import public_router as public_attachments_router
from cqdt.dossiers.attachments_api import router as attachments_router
from cqdt.feedback.api import public_router as public_feedback_router
from cqdt.feedback.api import router as feedback_router
from cqdt.monitoring.api import router as monitoring_router
from cqdt.monitoring.registers_api import router as registers_router
from cqdt.oversight.api import router as oversight_router
from cqdt.staff.api import router as staff_router
from cqdt.units.api import router as units_router
from cqdt.workdays.api import router as workdays_router


class SiteSwagger(Swagger):
    """ninja's bundled Swagger UI in a page that names its language (web/swagger.html)."""

    template = "web/swagger.html"


api = CqdtNinjaAPI(
    title="CQĐT API",
    version="1",
    description=(
        "API của nền tảng chính quyền đô thị (CQĐT). Errors are JSON "
        '`{"code", "message", "messages": {"vi", "en"}, "field"}`. '
        "POSTs honour an `Idempotency-Key` header: the same key and request within 24 hours "
        "get the first answer again (`Idempotent-Replayed: true`); the same key with another "
        "request is refused (422)."
    ),
    urls_namespace="api-v1",
    docs=SiteSwagger(),
)
install_error_handlers(api)
api.add_router("/units", units_router, tags=["units"])
api.add_router("/workdays", workdays_router, tags=["workdays"])
api.add_router("", staff_router, tags=["staff"])
api.add_router("", accounts_router, tags=["accounts"])
api.add_router("", authority_router, tags=["authority"])
api.add_router("", attachments_router, tags=["dossiers"])
api.add_router("", dossiers_router, tags=["dossiers"])
api.add_router("", documents_router, tags=["documents"])
api.add_router("/oversight", oversight_router, tags=["oversight"])
api.add_router("/budget", budget_router, tags=["budget"])
api.add_router("/public", public_attachments_router, tags=["citizens"])
api.add_router("/public", public_dossiers_router, tags=["citizens"])
api.add_router("/public", public_documents_router, tags=["citizens"])
api.add_router("/monitoring", monitoring_router, tags=["monitoring"])
api.add_router("/monitoring", registers_router, tags=["monitoring"])
api.add_router("/feedback", feedback_router, tags=["feedback"])
api.add_router("/public/feedback", public_feedback_router, tags=["citizens"])
api.add_router("/public/account", public_accounts_router, tags=["accounts"])
