"""Credit clauses ↔ workbook rows: the round trip, and every problem a row can have."""

from __future__ import annotations

from decimal import Decimal

from sltdesk.domain.penalties import (
    Band,
    Bonus,
    Cap,
    CapScope,
    ClaimWindow,
    Clause,
    ClauseRecord,
    EarnBack,
    Multiplier,
    TieredCredit,
    clause_to_record,
)
from sltdesk.domain.register_book import BandRow, BookEntry, ClauseRow
from sltdesk.rules.clause_book import clause_entries, clauses_from_entries, ordered

D = Decimal
TARGETS = {"nw-2025-014": {"sl1 availability": 11, "sl2 p1 response": 12}}
CLAUSES = [
    Clause(1, TieredCredit((Band(D("99.9"), percent=D("5")), Band(D("99.0"), amount=D("1000"))), inclusive=True), 11,
           "Schedule 3"),
    Clause(1, Multiplier(((2, D("1.5")), (3, D("2")))), None, ""),
    Clause(1, Bonus((Band(D("99.99"), percent=D("2")),), netted=False), 12),
    Clause(1, Cap(CapScope.YEAR, percent=D("12")), None),
    Clause(1, EarnBack(3), 11),
    Clause(1, ClaimWindow(days=30, months=2), None),
]


def records() -> list[ClauseRecord]:
    return [clause_to_record(c, position) for position, c in enumerate(CLAUSES)]


def test_clauses_become_rows_and_the_rows_the_same_clauses():
    entries = clause_entries("NW-2025-014", {11: "SL1 Availability", 12: "SL2 P1 response"}, records())
    rows = [e for e in entries if e.entity == "credit_clause"]
    bands = [e for e in entries if e.entity == "clause_band"]
    assert [(r.record.number, r.record.kind, r.record.target) for r in rows] == [
        (1, "tiered credit", "SL1 Availability"), (2, "consecutive-miss multiplier", ""),
        (3, "bonus", "SL2 P1 response"), (4, "cap", ""), (5, "earn-back", "SL1 Availability"),
        (6, "claim window", "")]
    assert rows[1].record.steps == "2:1.5; 3:2" and rows[0].record.inclusive is True
    assert (rows[3].record.scope, rows[3].record.percent, rows[5].record.months) == ("year", D("12"), 2)
    assert [(b.record.number, b.record.bound, b.record.percent, b.record.amount) for b in bands] == [
        (1, D("99.9"), D("5"), None), (1, D("99.0"), None, D("1000")), (3, D("99.99"), D("2"), None)]
    found, problems = clauses_from_entries(rows, bands, TARGETS)
    assert problems == []
    assert [(n, c) for n, _row, c in found["NW-2025-014"]] == [
        (n, Clause(0, c.terms, c.target_id, c.source)) for n, c in enumerate(CLAUSES, start=1)]


def test_the_order_is_the_contracts_own():
    stored = records()
    shuffled = [stored[2], stored[0], stored[1]]
    assert [r.kind for r in ordered(shuffled)] == ["tiered credit", "consecutive-miss multiplier", "bonus"]
    same_position = [ClauseRecord(1, "cap", {"percent": "5"}, position=0, id=9),
                     ClauseRecord(1, "cap", {"percent": "6"}, position=0, id=4)]
    assert [r.id for r in ordered(same_position)] == [4, 9]


def row(number: int, kind: str, row_no: int = 2, **values) -> BookEntry:
    return BookEntry("credit_clause", ClauseRow("NW-2025-014", number, kind, **values), row=row_no)


def band(number: int, bound: str, row_no: int = 2, **values) -> BookEntry:
    return BookEntry("clause_band", BandRow("NW-2025-014", number, D(bound), **values), row=row_no)


def test_each_problem_names_its_sheet_row_and_column():
    rows = [row(1, "cap", 2, percent=D("10"), steps="2:2"),
            row(2, "tiered credit", 3, target="SL9"),
            row(3, "consecutive-miss multiplier", 4, steps="two:2"),
            row(4, "fixed per breach", 5, target="SL1 Availability"),  # no amount: the terms say so
            BookEntry("credit_clause", ClauseRow("XX-1", 1, "claim window", days=5), row=6)]
    bands = [band(1, "99.9", 2, percent=D("5")), band(9, "99", 3, percent=D("1"))]
    found, problems = clauses_from_entries(rows, bands, TARGETS)
    assert found == {}
    assert problems == [
        ("Credit clauses", 2, "steps", "a cap clause has no steps; leave the cell empty."),
        ("Clause bands", 2, "number", "clause 1 of NW-2025-014 is a cap clause; only tiered credits and bonuses "
                                      "have bands."),
        ("Credit clauses", 3, "target", "'SL9' is not a target of NW-2025-014; check the Contract targets sheet."),
        ("Credit clauses", 4, "steps", "steps: 'two:2' is not misses:factor, e.g. 2:2."),
        ("Credit clauses", 5, "", "A fixed per breach clause needs its amount."),
        ("Credit clauses", 6, "contract", "no contract 'XX-1' on the Contracts sheet or in the workspace; check "
                                          "the spelling."),
        ("Clause bands", 3, "number", "there is no clause 9 of NW-2025-014 on the Credit clauses sheet."),
    ]


def test_a_tiered_credit_reads_its_bands_in_row_order_and_case_does_not_matter():
    rows = [BookEntry("credit_clause", ClauseRow("nw-2025-014", 1, "tiered credit", target="sl1 AVAILABILITY"),
                      row=2)]
    bands = [band(1, "99.9", 2, percent=D("5")), band(1, "99.5", 3, percent=D("10"))]
    found, problems = clauses_from_entries(rows, bands, TARGETS)
    [(number, _row, clause)] = found["nw-2025-014"]
    assert problems == [] and number == 1 and clause.target_id == 11
    assert clause.terms == TieredCredit((Band(D("99.9"), percent=D("5")), Band(D("99.5"), percent=D("10"))))
