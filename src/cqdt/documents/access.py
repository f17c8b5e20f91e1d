"""Who may sign from the tray, checked the same way by the API and the staff pages."""

from __future__ import annotations

from django.http import HttpRequest

from cqdt.accounts.factors import require_second_factor
from cqdt.core.audit import Actor
from cqdt.core.errors import InvalidInput
from cqdt.documents import services
from cqdt.dossiers import selectors as dossier_selectors
from cqdt.staff.access import policy, require_official
from cqdt.staff.models import Official


def batch_signer(request: HttpRequest, *, confirmed: bool, back: str = "") -> Official:
    """The official signing a batch: only once they confirm having reviewed the list and each
    basis (422 naming ``confirm``), and with a fresh second factor (issue 18; its refusal leads
    back to ``back``, the review list, once a code is entered)."""
    if not confirmed:
        raise InvalidInput(
            "Cần xác nhận đã xem danh sách và căn cứ ký trước khi ký hàng loạt.",
            "Confirm that you have reviewed the list and each basis before signing in batch.",
            field="confirm",
        )
    official = require_official(request)
    require_second_factor(request, back=back)  # issue 18: signing needs a fresh second factor
    return official


def signed_in_scope(
    request: HttpRequest, official: Official, items: list[services.BatchItem]
) -> list[services.BatchOutcome]:
    """``services.documents_sign_batch`` by the caller as ``official``, each dossier found in
    the caller's act scope (a ward's own code over its holding, docs/decisions/0025): one out of
    it is refused as a missing one."""
    scope = policy.act_scope(request.user)
    return services.documents_sign_batch(
        actor=Actor.of(request.user),
        official=official,
        items=items,
        may_see=lambda code: scope.find(dossier_selectors.dossier_for, code),
    )
