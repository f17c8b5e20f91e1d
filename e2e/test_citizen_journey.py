"""The citizen's whole journey in Chromium, on a desktop and on a 390×844 phone (issue 13's
acceptance): submit online with two attachments → check the answers (change one; the files
stay) → send → the confirmation with the code → refresh it
(no second dossier) → look the dossier up by code and secret (the secret in no URL the page
ever asked for) → the ward asks for a supplement (through the services) → the citizen answers
it by upload → the clock runs again → the result is returned (services) → the citizen rates.

Dates: the staff moves check today's posts, and the test kit's terms run 1 July 2021 to 30 June
2026 (ended by now). So the server's clock is set to Monday 2 March 2026, 09:00 in Hanoi
(``time_machine``, all threads, ticking), as in the dossier tests, and the cookies are given a
long life so that the browser, on today's real date, does not drop them as expired. The clock
moves two days on while the supplement is awaited, so that the due date visibly moves.
"""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.test import override_settings
from going_back import back_from_elsewhere  # e2e/ is on the path
from PIL import Image
from pypdf import PdfWriter
from test_accessibility import serious_violations  # e2e/ is on the path

from cqdt import testing
from cqdt.dossiers import workflow
from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.reference import desks_load
from cqdt.testing import ProcedureFactory, drive, reference, supplement_requested
from cqdt.testing.factories import DISTRICT, WARD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
TEN_YEARS = 10 * 365 * 86400
SLUG = "xac-nhan-tinh-trang-hon-nhan"


@pytest.fixture
def clock():
    with (
        time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=True) as traveller,
        override_settings(CSRF_COOKIE_AGE=TEN_YEARS, SESSION_COOKIE_AGE=TEN_YEARS),
    ):
        yield traveller


@pytest.fixture
def ward(transactional_db, clock, settings, tmp_path):
    """Phúc Xá's chairman, vice-chairman, desk and justice officers; the marital-status
    procedure with two papers; files stored under the test's own media directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    reference.units()
    desks_load()
    ProcedureFactory(
        marital=True,
        required_documents=[
            {"code": "to_khai", "name": "Tờ khai", "required": True},
            {"code": "cccd", "name": "Căn cước", "required": True},
        ],
    )
    chair = testing.district_chairman(DISTRICT, "J-DC")
    return testing.ward_team(WARD, DISTRICT, chair, "J")


@pytest.fixture
def papers(tmp_path):
    """A one-page PDF and a small PNG photo, as a citizen's scan and phone picture."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    pdf = tmp_path / "to-khai.pdf"
    with pdf.open("wb") as out:
        writer.write(out)
    photo = io.BytesIO()
    Image.new("RGB", (80, 50), (10, 120, 40)).save(photo, format="PNG")
    png = tmp_path / "can-cuoc.png"
    png.write_bytes(photo.getvalue())
    return {"pdf": str(pdf), "png": str(png)}


def fits(page, size: str) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


def look_up(page, base: str, code: str, secret: str) -> None:
    page.goto(f"{base}/lookup/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã tra cứu").fill(secret)
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", SIZES)
def test_submit_refresh_look_up_supplement_and_rate(window, live_server, ward, papers, clock, size):
    base = live_server.url
    page = window(**SIZES[size])
    asked: list[str] = []  # every URL the page asked for, and every redirect it was sent
    page.on("request", lambda request: asked.append(request.url))
    page.on("response", lambda response: asked.append(response.headers.get("location", "")))

    # 1. Online submission with two files, one per paper.
    page.goto(f"{base}/procedures/{SLUG}/submit/")
    assert fits(page, size)
    page.get_by_label("Nộp tới UBND").select_option(WARD)
    page.get_by_label("Họ và tên người nộp").fill("Phạm Thị D")
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill("001190054321")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.get_by_label("Tệp: Tờ khai").set_input_files(papers["pdf"])
    page.get_by_label("Tệp: Căn cước").set_input_files(papers["png"])
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_load_state()

    # 2. Check the answers (GOV.UK pattern): nothing filed yet; "Thay đổi" goes back to the
    # field and the files come along, then "Gửi hồ sơ" files the dossier.
    assert page.get_by_role("heading", name="Kiểm tra thông tin trước khi gửi").is_visible()
    assert Dossier.objects.count() == 0
    page.get_by_role("link", name="Thay đổi Số điện thoại").click()
    page.get_by_label("Số điện thoại").fill("0912345678")
    assert "đã tải lên: can-cuoc.png" in page.content()
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_load_state()
    listed = page.locator("dl.check-answers").all_inner_texts()
    assert "0912345678" in listed[0]
    assert "to-khai.pdf" in listed[1] and "can-cuoc.png" in listed[1]
    assert fits(page, size)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Gửi hồ sơ").click()
    page.wait_for_load_state()

    # 3. The confirmation shows the code; refreshing it files nothing new.
    code = page.locator("#dossier-code").inner_text()
    secret = page.locator("#lookup-secret").inner_text()
    assert fits(page, size)
    page.reload()
    assert page.locator("#dossier-code").inner_text() == code
    assert Dossier.objects.count() == 1
    files = Attachment.objects.filter(dossier__code=code).order_by("document_code")
    assert [(a.document_code, a.content_type, a.stage) for a in files] == [
        ("cccd", "image/jpeg", "intake"),  # the photo re-encoded without metadata
        ("to_khai", "application/pdf", "intake"),
    ]

    # 4. Lookup by code and secret, posted: the result page's URL carries the code only.
    look_up(page, base, code, secret)
    assert page.url == f"{base}/lookup/{code}/"
    assert page.locator("#dossier-status").inner_text() == "Mới nộp, chờ tiếp nhận"
    assert page.get_by_role("button", name="to-khai.pdf").is_visible()
    # Each file's size on the line of its name (its form was a block with a margin: the size
    # stood a blank line below, as if it were the next file's).
    row = page.locator("ul.attachments li").first.bounding_box()
    name = page.locator("ul.attachments li button").first.bounding_box()
    assert row and name and row["height"] < 1.5 * name["height"], (row, name)
    assert fits(page, size)

    # 5. The ward accepts, assigns, starts processing and asks for a supplement (Mẫu 02).
    d = supplement_requested(ward, code, now=None, missing=["to_khai"])
    due_before = d.due_at
    assert d.status == workflow.SUPPLEMENT

    # 6. Two days later the citizen comes back: the kept secret has expired, so they look the
    # dossier up again, and answer the request by uploading the signed form.
    clock.shift(dt.timedelta(days=2))
    page.reload()
    assert "hãy nhập lại mã tra cứu" in page.content()
    look_up(page, base, code, secret)
    assert page.locator("#dossier-status").inner_text() == workflow.STATE_LABELS[d.status][0]
    page.get_by_label("Tệp: Tờ khai").set_input_files(papers["pdf"])
    page.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    page.wait_for_load_state()
    assert code in page.locator("#supplement-done").inner_text()
    page.reload()  # the confirmation again: nothing sent twice
    assert page.locator("#supplement-done").is_visible()

    # 7. The clock resumes: processing again, the pause closed, the due date moved on.
    d = Dossier.objects.get(code=code)
    assert d.status == workflow.PROCESSING
    assert d.pauses.get().resumed_at is not None
    assert d.due_at > due_before
    assert Attachment.objects.filter(dossier=d, stage="supplement").count() == 1

    # 8. The result is signed and returned; the citizen rates the service.
    drive(ward, code, to=workflow.RETURNED, now=None)
    look_up(page, base, code, secret)
    assert page.locator("#dossier-status").inner_text() == "Đã trả kết quả"
    page.get_by_label("4 – Hài lòng").check()
    page.get_by_label("Ý kiến (không bắt buộc)").fill("Nhanh, rõ ràng.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Cảm ơn bạn đã đánh giá").is_visible()
    page.reload()
    assert Dossier.objects.get(code=code).rating == 4
    assert fits(page, size)

    # The secret was in no URL: not the address bar, not a request, not a redirect.
    assert secret not in page.url
    assert asked and all(secret not in url and secret.lower() not in url for url in asked), asked
    assert Dossier.objects.count() == 1


def test_back_to_a_refused_rating_asks_for_no_resubmission(window, live_server, ward):
    """The rating posts to a POST-only URL; a refused one (rated meanwhile in another tab) was a
    POST in the history. Back to it is now a GET of the dossier's page (``?again=1``,
    core.form_recall) that says the refusal again; the secret in no URL."""
    filed = testing.submit(ward, now=None, documents=["to_khai", "cccd"])
    code, secret = filed.dossier.code, filed.secret
    drive(ward, code, to=workflow.RETURNED, now=None)
    base = live_server.url
    first, page = window(**SIZES["desktop"]), window(**SIZES["desktop"])  # two tabs
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    # The citizen switches from one tab to the other: a tab left behind another gets no
    # animation frames, and each action there waited ~2 s for its element to be stable.
    first.bring_to_front()
    look_up(first, base, code, secret)
    page.bring_to_front()
    look_up(page, base, code, secret)
    first.bring_to_front()
    first.get_by_label("4 – Hài lòng").check()
    first.get_by_role("button", name="Gửi đánh giá").click()
    first.wait_for_load_state()
    page.bring_to_front()
    page.get_by_label("5 – Rất hài lòng").check()
    page.get_by_label("Ý kiến (không bắt buộc)").fill("Nhanh.")
    page.get_by_role("button", name="Gửi đánh giá").click()  # rated already, in the first tab
    page.wait_for_load_state()
    refusal = page.get_by_role("alert").inner_text()
    assert refusal
    assert back_from_elsewhere(page, base).status == 409
    assert page.url == f"{base}/lookup/{code}/?again=1"
    assert page.get_by_role("alert").inner_text() == refusal
    assert page.locator("#dossier-status").inner_text() == "Đã trả kết quả"
    assert Dossier.objects.get(code=code).rating == 4
    assert all(secret not in url and secret.lower() not in url for url in asked), asked
