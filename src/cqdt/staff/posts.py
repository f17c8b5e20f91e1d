"""Post kinds and what they mean (pure; no Django imports).

The ward People's Committee under the pilot is a chairman, vice-chairmen, the ward police chief, the
military commander and civil servants in five posts (Decree 32/2021/NĐ-CP; DOMAIN §1). District
and city posts are the ones the platform's users hold there.
"""

from __future__ import annotations

CHAIRMAN = "chairman"
VICE_CHAIRMAN = "vice_chairman"
POLICE_CHIEF = "police_chief"
MILITARY_COMMANDER = "military_commander"
OFFICE_STATISTICS = "office_statistics"
LAND_CONSTRUCTION = "land_construction_urban_environment"
FINANCE_ACCOUNTING = "finance_accounting"
JUSTICE_CIVIL_STATUS = "justice_civil_status"
CULTURE_SOCIETY = "culture_society"
ONE_STOP_DESK = "one_stop_desk"
DISTRICT_STAFF = "district_staff"
COUNCIL_DEPUTY = "council_deputy"
CITY_MONITOR = "city_monitor"

# How a post is obtained (staff.models.AppointmentKind): the kinds the rules tell apart.
ELECTION = "election"
ACTING = "acting"

LEADER_POSTS = frozenset({CHAIRMAN, VICE_CHAIRMAN})
CIVIL_SERVANT_POSTS = (
    OFFICE_STATISTICS,
    LAND_CONSTRUCTION,
    FINANCE_ACCOUNTING,
    JUSTICE_CIVIL_STATUS,
    CULTURE_SOCIETY,
)
WARD_POSTS = (
    CHAIRMAN,
    VICE_CHAIRMAN,
    POLICE_CHIEF,
    MILITARY_COMMANDER,
    *CIVIL_SERVANT_POSTS,
    ONE_STOP_DESK,
)

POST_LABELS: dict[str, tuple[str, str]] = {
    CHAIRMAN: ("Chủ tịch", "Chairman"),
    VICE_CHAIRMAN: ("Phó Chủ tịch", "Vice-chairman"),
    POLICE_CHIEF: ("Trưởng Công an", "Police chief"),
    MILITARY_COMMANDER: ("Chỉ huy trưởng Quân sự", "Military commander"),
    OFFICE_STATISTICS: ("Công chức Văn phòng - Thống kê", "Office–Statistics civil servant"),
    LAND_CONSTRUCTION: (
        "Công chức Địa chính - Xây dựng - Đô thị và Môi trường",
        "Land–Construction–Urban–Environment civil servant",
    ),
    FINANCE_ACCOUNTING: ("Công chức Tài chính - Kế toán", "Finance–Accounting civil servant"),
    JUSTICE_CIVIL_STATUS: ("Công chức Tư pháp - Hộ tịch", "Justice–Civil status civil servant"),
    CULTURE_SOCIETY: ("Công chức Văn hóa - Xã hội", "Culture–Society civil servant"),
    ONE_STOP_DESK: ("Công chức Bộ phận một cửa", "One-stop desk officer"),
    DISTRICT_STAFF: ("Cán bộ, công chức UBND cấp huyện", "District committee staff"),
    COUNCIL_DEPUTY: ("Đại biểu HĐND", "Council deputy"),
    CITY_MONITOR: (
        "Cán bộ theo dõi của Thành phố (Sở Nội vụ)",
        "City monitor (Department of Home Affairs)",
    ),
}

# Leaders hold 5-year terms (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP).
TERM_YEARS = 5
# A chairman may not serve more than 10 consecutive years in the same ward (Decree 32/2021/NĐ-CP).
MAX_CONSECUTIVE_CHAIRMAN_YEARS = 10

# Roles are derived from posts, never set by hand (issue 3).
ROLE_ONE_STOP_OFFICER = "one_stop_officer"
ROLE_CIVIL_SERVANT = "civil_servant"
ROLE_WARD_LEADER = "ward_leader"
ROLE_DISTRICT_COMMITTEE = "district_committee"
ROLE_COUNCIL_DEPUTY = "district_council_deputy"
ROLE_CITY_MONITOR = "city_monitor"
ROLE_ADMINISTRATOR = "administrator"


def role_for(post: str, level: str) -> str | None:
    """The role a post gives at a level ("commune_level", "district_level", "city")."""
    if post == COUNCIL_DEPUTY:
        return ROLE_COUNCIL_DEPUTY
    if post == CITY_MONITOR or level == "city":
        return ROLE_CITY_MONITOR
    if level == "district_level":
        return ROLE_DISTRICT_COMMITTEE
    if post in LEADER_POSTS:
        return ROLE_WARD_LEADER
    if post == ONE_STOP_DESK:
        return ROLE_ONE_STOP_OFFICER
    if post in CIVIL_SERVANT_POSTS:
        return ROLE_CIVIL_SERVANT
    return None


def post_label(post: str, lang: str = "vi") -> str:
    vi, en = POST_LABELS.get(post, (post, post))
    return en if lang.startswith("en") else vi


# The fields of work the chairman assigns to each vice-chairman by a written decision under the
# committee's working regulation [C] (Appointment.fields; authority.FieldAssignment):
# code → (vi, en) label.
WORK_FIELDS = {
    "certification": ("Chứng thực", "Certification"),
    "civil_status": ("Hộ tịch", "Civil status"),
    "land": ("Đất đai", "Land"),
    "construction": ("Xây dựng", "Construction"),
    "social_protection": ("Bảo trợ xã hội", "Social protection"),
    "culture": ("Văn hóa", "Culture"),
    "finance": ("Tài chính", "Finance"),
    "internal_affairs": ("Nội vụ", "Internal affairs"),
    "security": ("An ninh, trật tự", "Security and order"),
    "general": ("Chung", "General"),
}
