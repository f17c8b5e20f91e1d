"""``cqdt reorganise --date 2025-07-01 [--apply]``: move the open work of units that end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cqdt.core.audit import Actor
from cqdt.units import reorganisation as reorg


class Command(BaseCommand):
    help = (
        "Plan (dry run) or apply the move of open work — desks, officials' posts, dossiers, "
        "feedback reports, voter petitions — from the units that end the day before --date to "
        "their successors. Idempotent: a second --apply moves nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            required=True,
            type=dt.date.fromisoformat,
            help="First day of the new units (YYYY-MM-DD), e.g. 2025-07-01.",
        )
        parser.add_argument("--province", default=None, help="Only this province (e.g. 01).")
        parser.add_argument("--apply", action="store_true", help="Move (default: plan only).")
        parser.add_argument(
            "--batch-size", type=int, default=reorg.DEFAULT_BATCH, help="Moves per transaction."
        )
        parser.add_argument(
            "--details", action="store_true", help="List every move, not only the summary."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on: dt.date = options["date"]
        the_plan = reorg.plan(on, province=options["province"])
        out = self.stdout
        out.write(
            f"Sắp xếp ngày {on:%d/%m/%Y} — {len(the_plan.units)} đơn vị kết thúc, "
            f"{len(the_plan.successor_codes)} đơn vị kế thừa."
        )
        out.write(f"Căn cứ: {the_plan.basis}")
        out.write("")
        out.write(f"{'loại việc':<18} {'chuyển':>8} {'kết thúc':>9} {'chưa xác định':>14}")
        counts = the_plan.counts()
        for mover in reorg.movers():
            c = counts.get(mover.kind, {reorg.MOVE: 0, reorg.END: 0, reorg.UNRESOLVED: 0})
            out.write(
                f"{mover.kind:<18} {c[reorg.MOVE]:>8} {c[reorg.END]:>9} {c[reorg.UNRESOLVED]:>14}"
            )
        out.write("")
        out.write("Quy tắc chọn đơn vị kế thừa (rules):")
        for rule, n in sorted(the_plan.rules_used().items()):
            vi, en = reorg.RULE_LABELS.get(rule, (rule, rule))
            out.write(f"  {rule:<22} {n:>6}  {vi} / {en}")
        unresolved = [m for m in the_plan.moves if m.action == reorg.UNRESOLVED]
        if unresolved:
            out.write("")
            out.write(f"Chưa xác định được đơn vị nhận ({len(unresolved)}), không chuyển:")
            for m in unresolved[:50]:
                out.write(f"  {m.item.kind} {m.item.key} tại {m.item.unit_code}: {m.reason}")
        if options["details"]:
            out.write("")
            for u in the_plan.units:
                for m in u.moves:
                    out.write(
                        f"  {m.item.kind:<16} {m.item.key:<40} {m.item.unit_code} → "
                        f"{m.to_code or '-'} {m.action} {m.rule or m.reason}"
                    )
        if not options["apply"]:
            out.write("")
            out.write("Chạy thử (dry run): chưa chuyển gì. Thêm --apply để thực hiện.")
            return
        before = reorg.pending_counts(on, province=options["province"])
        report = reorg.apply(
            the_plan, actor=Actor.system("reorganise"), batch_size=options["batch_size"]
        )
        after = reorg.pending_counts(on, province=options["province"])
        out.write("")
        out.write(f"Đã thực hiện trong {report.batches} lô (batches).")
        out.write(
            f"{'loại việc':<18} {'còn trước':>9} {'chuyển':>8} {'kết thúc':>9} "
            f"{'bỏ qua':>7} {'chưa xđ':>8} {'còn sau':>8}"
        )
        for kind in before:
            out.write(
                f"{kind:<18} {before[kind]:>9} {report.moved[kind]:>8} {report.ended[kind]:>9} "
                f"{report.skipped[kind]:>7} {report.unresolved[kind]:>8} {after[kind]:>8}"
            )
