"""The fields of work (lĩnh vực) that group the catalog, with their names."""

from __future__ import annotations

import datetime as dt

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Field code → name, in the order the public catalog lists the groups (the most asked first).
# The codes are those of ``Procedure.field`` and of vice-chairmen's field assignments.
FIELD_LABELS: dict[str, Promise] = {
    "civil_status": _("Hộ tịch"),
    "certification": _("Chứng thực"),
    "security": _("An ninh, trật tự (cư trú)"),
    "land": _("Đất đai"),
    "construction": _("Xây dựng"),
    "social_protection": _("Bảo trợ xã hội"),
    "culture": _("Văn hóa"),
    "internal_affairs": _("Nội vụ, tín ngưỡng"),
    "finance": _("Tài chính"),
    "general": _("Lĩnh vực chung"),
}


def field_label(code: str) -> str:
    """The field's name in the active language; an unknown code stands for itself."""
    label = FIELD_LABELS.get(code)
    return str(label) if label is not None else code


def field_rank(code: str) -> int:
    order = list(FIELD_LABELS)
    return order.index(code) if code in order else len(order)


def field_vi(code: str) -> str:
    """The Vietnamese name whatever the active language (what the search column holds)."""
    from django.utils import translation

    with translation.override("vi"):
        return field_label(code)


# Where an application is handed in, by who decides it. The one-stop desk (Bộ phận Một cửa) of
# the commune-level People's Committee receives the commune's procedures (Decree 61/2018/NĐ-CP,
# Art. 7); from 1 July 2025 the commune's one-stop desk is its Public Administrative Service
# Centre (Trung tâm Phục vụ hành chính công cấp xã, Decree 118/2025/NĐ-CP of 9 June 2025, in
# force 1 July 2025, which replaces Decree 61/2018); residence registration is decided by the
# commune-level police (Law on Residence 2020, Art. 22, 28), which receive it.
COMMUNE_CENTRES_FROM = dt.date(2025, 7, 1)
SUBMIT_AT: dict[str, Promise] = {
    "commune": _("Bộ phận Một cửa của UBND xã, phường nơi bạn cư trú hoặc nơi có việc"),
    "commune_centre": _(
        "Trung tâm Phục vụ hành chính công xã, phường nơi bạn cư trú hoặc nơi có việc"
    ),
    "district": _("Bộ phận Một cửa của UBND quận, huyện"),
    "city": _("Trung tâm Phục vụ hành chính công của thành phố"),
    "police": _("Công an xã, phường nơi bạn cư trú"),
}
POLICE_ACTS = frozenset({"decide_residence"})


def submit_at(competent_level: str, sign_act: str, on: dt.date) -> str:
    """Where to hand the application in on ``on``, in the active language."""
    key = "police" if sign_act in POLICE_ACTS else competent_level
    if key not in SUBMIT_AT:
        key = "commune"
    if key == "commune" and on >= COMMUNE_CENTRES_FROM:
        key = "commune_centre"
    return str(SUBMIT_AT[key])
