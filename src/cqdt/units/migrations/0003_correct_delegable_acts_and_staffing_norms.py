"""Legal data corrections in databases loaded before them (issue 19, item 6).

- The pilot's and the Capital Law's delegable acts: only certified copies from originals
  (Decree 32/2021/NĐ-CP), never a wildcard over procedure results (``sign_result:*``).
- The standard model's staffing norm differs for wards and for communes/townships
  (Decree 33/2023/NĐ-CP, Art. 6(1)).
Rows an administrator already changed away from the old values are left alone.
"""

import json
from pathlib import Path

from django.db import migrations

GOVERNANCE_JSON = Path(__file__).resolve().parent.parent / "data" / "governance.json"
OLD_PILOT_ACTS = [
    "certify_copy",
    "certify_signature",
    "certify_contract",
    "register_civil_status",
    "sign_result:*",
]
OLD_STANDARD_NORM = {"I": 23, "II": 21, "III": 19}


def forwards(apps, schema_editor):
    GovernanceModel = apps.get_model("units", "GovernanceModel")
    spec = {m["slug"]: m for m in json.loads(GOVERNANCE_JSON.read_text(encoding="utf-8"))["models"]}
    for slug in ("hanoi-urban-pilot-2021", "hanoi-capital-law-2024"):
        for model in GovernanceModel.objects.filter(slug=slug):
            if model.delegable_acts == OLD_PILOT_ACTS:
                model.delegable_acts = spec[slug]["delegable_acts"]
                model.rule_sources = {
                    **model.rule_sources,
                    "delegable_acts": spec[slug]["rule_sources"]["delegable_acts"],
                }
                model.save(update_fields=["delegable_acts", "rule_sources"])
    for model in GovernanceModel.objects.filter(slug="standard-2015"):
        if (model.staffing_norm or {}).get("max_by_class") == OLD_STANDARD_NORM:
            model.staffing_norm = spec["standard-2015"]["staffing_norm"]
            model.chairman_approval = spec["standard-2015"]["chairman_approval"]
            model.rule_sources = {
                **model.rule_sources,
                "staffing_norm": spec["standard-2015"]["rule_sources"]["staffing_norm"],
                "chairman_approval": spec["standard-2015"]["rule_sources"]["chairman_approval"],
            }
            model.save(update_fields=["staffing_norm", "chairman_approval", "rule_sources"])


class Migration(migrations.Migration):
    dependencies = [("units", "0002_units_history_geodata_datasets")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
