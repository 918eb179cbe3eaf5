"""The human-readable coverage report: one block per end-to-end target, one table row per component."""

from __future__ import annotations

from decimal import Decimal

from sltdesk.cli.textable import render_table
from sltdesk.services.coverage import TargetCoverage

MARKS = {"covered": "covered", "partial": "PARTIAL", "overlap": "OVERLAP", "gap": "GAP"}


def render_coverage(report: list[TargetCoverage], counts: dict[str, int]) -> str:
    if not report:
        return "No end-to-end targets yet: add them on the Services & mapping page or import a contract register."
    blocks = [_block(target) for target in report]
    tally = (f"{counts['targets']} end-to-end targets: {counts['gap']} gap(s), {counts['partial']} partial, "
             f"{counts['overlap']} overlap(s), {counts['covered']} covered component(s); "
             f"{counts['shortfalls']} composition shortfall(s), {counts['not composable']} not composable.")
    return "\n\n".join([*blocks, tally])


def _figure(value: Decimal | None, unit: str) -> str:
    return "—" if value is None else f"{value} {unit}"


def _block(t: TargetCoverage) -> str:
    verdict = t.composition_note[:1].upper() + t.composition_note[1:]
    lines = [
        f"{t.business_unit} › {t.service} › {t.name}   [{t.kind}{', ' + t.tier if t.tier else ''}]",
        f"  target       {t.target} per {t.measurement_period}, {t.service_hours}",
        f"  composition  {t.composition_rule}: {t.composition_formula}",
        f"  composed     {_figure(t.composed, t.unit)}   shortfall {_figure(t.shortfall, t.unit)}   {verdict}",
    ]
    for x in t.seasons:  # the chain again in each season of its contract targets
        lines.append(f"  in season    {x.season}: composed {_figure(x.composed, t.unit)}   shortfall "
                     f"{_figure(x.shortfall, t.unit)}   {x.note[:1].upper() + x.note[1:]}")
    for y in t.tiers:  # with a core-hours tier behind it: the chain per tier
        lines.append(f"  tier         {y.tier}: composed {_figure(y.composed, t.unit)}   shortfall "
                     f"{_figure(y.shortfall, t.unit)}   {y.note[:1].upper() + y.note[1:]}")
    if t.weights_rationale:
        lines.append(f"  weights      {t.weights_rationale}")
    rows = []
    for c in t.components:
        behind = "; ".join(f"{v.contract} {v.name} ({v.supplier})" for v in c.contract_targets) or "— none —"
        stage = f"{c.stage}{'∥' if c.parallel else ''}"
        rows.append([stage, c.name, MARKS[c.status.value], _figure(c.committed, t.unit), _figure(c.required, t.unit),
                     behind])
    if rows:
        table = render_table(["stage", "component", "status", "committed", "required", "contract targets"], rows,
                             right=[3, 4])
        lines.extend("  " + line for line in table.splitlines())
    lines.extend(f"  - {finding}" for finding in t.findings)
    return "\n".join(lines)
