"""QA Q7: the type's name printed twice — "GIẤY XÁC NHẬN / Giấy xác nhận tình trạng hôn nhân" on
the result, "Giấy chứng nhận Giấy chứng nhận kết hôn" in the register — and ISO times in the
visible signature boxes."""

import datetime as dt
import zoneinfo

from cqdt.documents import layout, signatures


def test_a_title_that_is_the_type_s_full_name_is_printed_once():
    assert layout.title_block("Giấy xác nhận", "Giấy xác nhận tình trạng hôn nhân") == (
        "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
        "",
    )
    assert layout.title_block("Quyết định", "Về việc cấp phép") == (
        "QUYẾT ĐỊNH",
        "Về việc cấp phép",
    )
    assert layout.title_block("Giấy xác nhận", "Giấy xác nhậnX") == (
        "GIẤY XÁC NHẬN",
        "Giấy xác nhậnX",
    )


def test_the_register_names_the_type_once():
    assert layout.kind_and_title("Giấy chứng nhận", "Giấy chứng nhận kết hôn") == (
        "Giấy chứng nhận kết hôn"
    )
    assert layout.kind_and_title("Quyết định", "Về việc A") == "Quyết định Về việc A"


def test_the_signing_time_is_written_as_a_reader_writes_it():
    moment = dt.datetime(2026, 12, 7, 21, 39, 41, 123, tzinfo=dt.UTC)
    assert signatures.signing_time_text(moment) == "04:39:41 ngày 08/12/2026"
    hanoi = moment.astimezone(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    assert signatures.signing_time_text(hanoi) == "04:39:41 ngày 08/12/2026"
