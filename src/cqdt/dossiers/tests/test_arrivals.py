"""The demo's and the simulation's made-up applicants (``dossiers.arrivals``) are written as
Vietnamese papers write people: family name first, no form of address. Faker's ``vi_VN``
``name()`` gave "Quý cô Kim Mai" and "Hưng Mai Nguyễn", which the desk's Mẫu 06 log, the
dossier page and the printed Mẫu 01 showed as applicants' names."""

from __future__ import annotations

import random

import pytest
from faker import Faker

from cqdt.core import citizen_names
from cqdt.dossiers.arrivals import applicant_fields, citizen_id

ADDRESSING = {"Quý", "Cô", "Bà", "Ông", "Chị", "Bác", "Em"}


@pytest.mark.parametrize("seed", range(40))
def test_an_applicant_s_name_is_family_middle_given_without_a_form_of_address(seed):
    faker = Faker("vi_VN")
    faker.seed_instance(seed)
    fields = applicant_fields(random.Random(seed), faker)
    parts = fields["name"].split()
    assert parts[0] in citizen_names.FAMILY, fields["name"]
    assert len(parts) >= 3 and not ADDRESSING & set(parts[:2]), fields["name"]
    assert fields["address"].startswith("Số ")
    assert not {"Hẻm", "Khóm", "Ấp"} & set(fields["address"].split()), fields["address"]


def test_the_applicant_draws_leave_the_demo_s_generator_where_it_was():
    """The name and the address come from Faker's generator: the demo's ``rng`` draws the
    same number and phone, and the rest of the demo month, as it did."""
    rng, twin = random.Random(7), random.Random(7)
    faker = Faker("vi_VN")
    faker.seed_instance(7)
    fields = applicant_fields(rng, faker)
    assert fields["id_number"] == citizen_id(twin)
    assert fields["phone"] == f"09{twin.randint(0, 99_999_999):08d}"
    assert rng.random() == twin.random()
