"""The review pack's leading indicators: which series of the supplier's contracts moved before a target did
(sltdesk/services/indicators.py), with the caution that correlation is not cause."""

from __future__ import annotations

from reportlab.platypus import Flowable

from reports.pack_sections import Layout, opening
from reports.pack_style import grid, text
from sltdesk.services.pack_view import PackView


def leading_indicators(view: PackView, layout: Layout) -> list[Flowable]:
    out: list[Flowable] = opening("Leading indicators", text(
        "Each contract's error rate, latency p95, ticket backlog and reopen rate (where its data has them), "
        "correlated with every monthly target's figures 1 to 3 months later, up to "
        f"{view.months[-1]}. An indicator is listed only when |r| ≥ 0.5, n ≥ 12 and the p-value, multiplied by "
        "the number of series and lags tried (Bonferroni), is below 0.05.", "muted"))
    rows = [(f"{c.contract} {t.target}", t.text, "; ".join(t.warnings) or "—")
            for c in view.indicators for t in c.targets]
    if not rows:
        return out + [text("No monthly target with figures to test.")]
    out.append(grid(["Target", "Leading indicator", "Early warning"], rows, [0.27, 0.48, 0.25], total=layout.width))
    caution = view.indicators[0].caution
    return out + [text(caution, "small")]
