"""Vietnamese full names for made-up citizens: the demo's reporters and the benchmarks'
applicants. Family name, middle name, given name, in that order (Họ, tên đệm, tên).

``FAMILY_SHARES`` are rough shares of the population (%) bearing each family name, as weights
for a draw that looks like a ward's real list (Nguyễn about four in ten); they need not sum
to 100.
"""

from __future__ import annotations

import random

FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
)
FAMILY_SHARES = (38, 11, 9.5, 7, 5.1, 2.1, 4.5, 3.9, 1.5, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5)
MIDDLE = (
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Ngọc",
    "Thu",
    "Quang",
    "Hữu",
    "Thanh",
    "Thị Thu",
    "Xuân",
    "Hoàng",
)
GIVEN = (
    "Anh",
    "Bình",
    "Châu",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Ngọc",
    "Phương",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Việt",
    "Yến",
)


def full_name(rng: random.Random) -> str:
    """A made-up full name, each part drawn alike from its list."""
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
