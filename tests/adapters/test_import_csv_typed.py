"""The fast CSV path gives what the careful one gives: number columns read as numbers by the parser, labels kept
as categoricals before they are read, long time columns read in two halves, and a new batch's content hash told
from the blocks it stores.

Each test reads the same file both ways (the fast path switched off by hand) and compares everything the
import hands on: the frame, the blocks, the findings, the rows shown."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from importers import dates, pipeline
from importers.pipeline import parse_file
from sltdesk.domain.raw import ImportOptions, RecordKind
from sltdesk.domain.register import Contract, Supplier
from sltdesk.services import batch_content, imports
from sltdesk.services.audit_deep import deep_check
from sltdesk.services.register import create_record
from tests.importfiles import write_csv

START = datetime(2026, 3, 1, tzinfo=UTC)


def samples_text(rows: int, cells: dict[int, dict[str, str]] | None = None, probes: int = 3) -> str:
    """A samples CSV of `rows` rows (5-minute steps per probe); `cells` puts text into chosen rows' columns."""
    lines = ["timestamp,probe,requests,errors,p95_ms"]
    for i in range(rows):
        probe, step = i % probes, i // probes
        row = {"timestamp": (START + timedelta(minutes=5 * step)).strftime("%Y-%m-%dT%H:%M:%SZ"),
               "probe": f"probe-{probe}", "requests": str(1000 + i % 97), "errors": str(i % 3),
               "p95_ms": f"{150 + i % 40}.5" if i % 2 else str(150 + i % 40)}
        row.update((cells or {}).get(i, {}))
        lines.append(",".join(row.values()))
    return "\n".join(lines) + "\n"


def parse(path, **options):
    return parse_file(path, ImportOptions(kind=RecordKind.SAMPLES, timezone="UTC", **options))


def careful(monkeypatch, path, **options):
    """The same file read the careful way: every cell as text, no categorical first, one time column at once."""
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "_number_columns", lambda sheet: frozenset())
        patch.setattr(pipeline, "_label_columns", lambda sheet: set())
        patch.setattr(dates, "_HALVES_FROM", 10**12)
        return parse(path, **options)


def same(fast, slow) -> None:
    assert fast.fatal == slow.fatal and fast.rows_read == slow.rows_read
    assert (fast.accepted, fast.rows_rejected) == (slow.accepted, slow.rows_rejected)
    assert fast.findings == slow.findings
    assert fast.blocks == slow.blocks
    assert fast.source_rows == slow.source_rows
    assert fast.preview == slow.preview
    assert list(fast.frame.columns) == list(slow.frame.columns)
    for name in fast.frame.columns:
        a, b = fast.frame[name].to_numpy(dtype=object), slow.frame[name].to_numpy(dtype=object)
        assert len(a) == len(b)
        assert all(x == y or (x != x and y != y) for x, y in zip(a, b, strict=True)), name


def test_a_long_file_of_plain_numbers_reads_as_the_text_columns_read(tmp_path, monkeypatch):
    # blank cells, a leading space, a quoted number, an exponent and a rejected row (more errors than requests)
    odd = {5: {"requests": ""}, 60: {"errors": " 2"}, 7: {"p95_ms": '"310"'}, 8: {"requests": "1e3"},
           25_000: {"errors": "5000"}, 29_999: {"p95_ms": ""}}
    path = write_csv(tmp_path / "s.csv", samples_text(30_000, odd))
    monkeypatch.setattr(pipeline, "_number_columns", _spy(monkeypatch, pipeline._number_columns))
    fast = parse(path)
    assert _spy.found == frozenset({2, 3, 4})  # requests, errors and p95_ms read as numbers by the parser
    slow = careful(monkeypatch, path)
    same(fast, slow)
    assert fast.rows_rejected == 1 and fast.accepted == 29_999
    assert sum(block.count for block in fast.blocks) == 29_999  # packed without the rejected row
    requests = fast.frame["requests"].tolist()
    assert math.isnan(requests[5]) and requests[8] == 1000.0


def test_a_null_marker_or_nan_past_the_sampled_rows_reads_the_body_as_text(tmp_path, monkeypatch):
    odd = {400: {"requests": "n/a"}, 900: {"errors": "NaN"}}
    path = write_csv(tmp_path / "s.csv", samples_text(1_200, odd))
    fast, slow = parse(path), careful(monkeypatch, path)
    same(fast, slow)
    [note] = [f for f in fast.findings if f.code == "null-marker"]
    assert note.message == "1 cell holding a null marker (n/a) read as empty"
    [warning] = [f for f in fast.findings if f.code == "optional-unreadable"]
    assert warning.message.startswith("1 value of the optional field errors could not be read")


def test_the_cells_shown_for_a_number_read_by_the_parser_are_its_text(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "s.csv", samples_text(60, {45: {"errors": "7000"}}))
    fast = parse(path)
    assert fast.preview[1] == ["2026-03-01T00:00:00Z", "probe-0", "1000", "0", "150"]
    assert fast.preview[2][4] == "151.5"
    assert fast.source_rows[47] == ["2026-03-01T01:15:00Z", "probe-0", "1045", "7000", "155.5"]
    # past the rows read as text at the start, a number the parser read is shown plainly
    far = parse(write_csv(tmp_path / "far.csv", samples_text(2_000, {1_500: {"requests": "1e3", "errors": "9e3"}})))
    assert far.source_rows[1_502][2:4] == ["1000", "9000"]
    same(fast, careful(monkeypatch, path))


def test_a_long_probe_column_with_a_null_marker_reads_as_the_text_column_reads(tmp_path, monkeypatch):
    odd = {i: {"probe": "N/A"} for i in range(21_000, 21_030)}
    path = write_csv(tmp_path / "s.csv", samples_text(24_000, odd, probes=4))
    fast, slow = parse(path), careful(monkeypatch, path)
    same(fast, slow)
    [note] = [f for f in fast.findings if f.code == "null-marker"]
    assert note.message == "30 cells holding a null marker (N/A) read as empty"
    assert {block.probe for block in fast.blocks} == {"", "probe-0", "probe-1", "probe-2", "probe-3"}


@pytest.mark.parametrize("bad", ["", "2026-03-01 25:00", "later"])
def test_a_time_column_read_in_two_halves_reads_as_one(tmp_path, monkeypatch, bad):
    path = write_csv(tmp_path / "s.csv", samples_text(500, {431: {"timestamp": bad}}))
    monkeypatch.setattr(dates, "_HALVES_FROM", 2)
    fast = parse(path)
    assert fast.rows_rejected == 1 and [f.row for f in fast.findings if f.severity.value == "error"] == [433]
    same(fast, careful(monkeypatch, path))


def test_halves_split_at_every_length(monkeypatch):
    import polars as pl

    monkeypatch.setattr(dates, "_HALVES_FROM", 1)
    for n in (1, 2, 3, 7):
        texts = pl.Series([f"2026-03-01T00:0{i}:00Z" if i != 1 else "x" for i in range(n)])
        got = dates._to_datetime(texts, "%Y-%m-%dT%H:%M:%SZ").to_list()
        assert len(got) == n and (n < 2 or got[1] is None)
        assert [g.minute for g in got if g is not None] == [i for i in range(n) if i != 1]


def _contract(workspace) -> Contract:
    supplier = create_record(workspace, Supplier(name="Northwind Networks"))
    return create_record(workspace, Contract(
        ref="NW-1", supplier_id=supplier.id, title="WAN", start_date=START.date(), end_date=START.date().replace(
            year=2027), currency="GBP", charges=Decimal("48000.00")))


def test_the_content_hash_told_from_the_stored_blocks_is_the_one_read_back(workspace, tmp_path):
    contract = _contract(workspace)
    options = imports.build_options(workspace, kind=RecordKind.SAMPLES, contract=contract, timezone="UTC")
    first = imports.store_import(workspace, parse_file(write_csv(tmp_path / "a.csv", samples_text(900)), options),
                                 contract=contract, options=options)
    # an overlapping export: its blocks are re-packed without the samples stored already (not told from memory)
    second = imports.store_import(workspace, parse_file(write_csv(tmp_path / "b.csv", samples_text(1_500)), options),
                                  contract=contract, options=options)
    with workspace.unit_of_work() as uow:
        entries = {int(e.entity_id): e for e in uow.audit.entries_of("import_batch", "import")}
        for report in (first, second):
            stored = batch_content.batch_digest(uow.raw, batch_id=report.batch_id, contract_id=contract.id)
            assert entries[report.batch_id].after["content"] == stored.as_audit()
            assert stored.records == report.stored
    assert (first.stored, second.stored) == (900, 600)
    assert deep_check(workspace).problems == ()


def _spy(monkeypatch, function):
    def spied(sheet):
        _spy.found = function(sheet)
        return _spy.found

    _spy.found = None
    return spied


def test_numbers_read_by_the_parser_are_not_tried_on_a_file_whose_sample_has_other_cells(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "_number_columns", _spy(monkeypatch, pipeline._number_columns))
    parse(write_csv(tmp_path / "s.csv", samples_text(100, {3: {"requests": "12 %"}, 4: {"errors": "-"}})))
    assert _spy.found == frozenset({4})  # requests and errors hold other cells in the first 50 rows
    semicolons = samples_text(100).replace(",", ";").replace(".5", ",5")
    result = parse(write_csv(tmp_path / "c.csv", semicolons))
    assert _spy.found == frozenset()  # decimal commas: read carefully
    assert result.frame["latency_ms"].tolist()[:2] == [150.0, 151.5]


@pytest.mark.parametrize("cells", [["b", None, "a", "", "b", "c", None], [None, None], ["x"], ["", "", None],
                                   [f"p{i % 7}" for i in range(200)] + [None]])
def test_a_categorical_column_factorises_as_its_text_does(cells):
    import polars as pl

    from importers import columnar

    text = pl.Series(cells, dtype=pl.String)
    labels, codes = columnar.factorised(text, most=100)
    labels_c, codes_c = columnar.factorised(text.cast(pl.Categorical), most=100)
    assert labels_c == labels and codes_c.tolist() == codes.tolist()


def test_a_categorical_column_of_thousands_of_labels_factorises_as_its_text_does():
    import random

    import polars as pl

    from importers import columnar

    rng = random.Random(5)
    cells = [f"INC{rng.randrange(4_000):07d}" if rng.random() > 0.01 else rng.choice([None, ""])
             for _ in range(12_000)]
    text = pl.Series(cells, dtype=pl.String)
    labels, codes = columnar.factorised(text, most=len(cells))
    labels_c, codes_c = columnar.factorised(text.cast(pl.Categorical), most=len(cells))
    assert len(labels) > 3_500 and "" in labels
    assert labels_c == labels and codes_c.tolist() == codes.tolist()


def _event_log(rows: list[tuple[str, str, str]]) -> str:
    return "Number,Priority,State,Updated,Assigned to\n" + "".join(
        f"{ticket},3 - Moderate,{state},{when},{'' if i % 3 else 'Ana Lim'}\n"
        for i, (ticket, state, when) in enumerate(rows))


def test_the_content_hash_of_an_event_log_told_from_memory_is_the_one_read_back(workspace, tmp_path):
    contract = _contract(workspace)
    options = imports.build_options(workspace, kind=RecordKind.TICKETS, contract=contract, timezone="Europe/London")
    states = ("New", "In Progress", "On Hold", "Resolved")
    events = [(f"INC{t:05d}", state, (START + timedelta(hours=t, minutes=17 * k)).strftime("%Y-%m-%d %H:%M:%S"))
              for t in range(40) for k, state in enumerate(states[:2 + t % 3])]
    # a later export with newer versions of some tickets: their earlier events leave the first batch
    later = [(t, s, w) for t, s, w in events if t >= "INC00030"] + [
        (f"INC{t:05d}", "Closed", (START + timedelta(days=3, hours=t)).strftime("%Y-%m-%d %H:%M:%S"))
        for t in range(30, 45)]
    reports = []
    for name, rows in (("a.csv", events), ("b.csv", later)):
        parsed = parse_file(write_csv(tmp_path / name, _event_log(rows)), options)
        assert parsed.kind is RecordKind.TICKET_EVENTS
        report = imports.store_import(workspace, parsed, contract=contract, options=options)
        reports.append(report)
        with workspace.unit_of_work() as uow:  # what the batch holds right after its import
            entry = next(e for e in uow.audit.entries_of("import_batch", "import")
                         if int(e.entity_id) == report.batch_id)
            stored = batch_content.batch_digest(uow.raw, batch_id=report.batch_id, contract_id=contract.id)
        assert entry.after["content"] == stored.as_audit()
        if name == "a.csv":  # each ticket (in its month's block) and each of its events
            assert stored.records == 40 + len(rows)
    first, second = reports
    assert first.stored == 40 and second.stored > 0
    assert deep_check(workspace).problems == ()


def test_blocks_read_in_the_reader_process_arrive_as_they_were_made(tmp_path, monkeypatch):
    import pickle

    from importers import sandbox

    path = write_csv(tmp_path / "s.csv", samples_text(30_000))
    options = ImportOptions(kind=RecordKind.SAMPLES, timezone="UTC")
    here, there = parse_file(path, options), sandbox.run_isolated(parse_file, path, options, file=path)
    assert len(there.blocks) == 105 and there.blocks == here.blocks  # 3 probes x 35 days
    # a million samples' blocks (6 MB) travel beside the pickle, as one buffer in the spill file
    monkeypatch.setattr(sandbox, "_OUT_OF_BAND_BYTES", 1)
    status, packed = sandbox._pack(here, str(tmp_path / "spill.bin"))
    assert status == "ok-buffers" and sum(len(b.payload) for b in here.blocks) in packed[2]
    back = sandbox._unpack(*packed)
    assert back.blocks == here.blocks and all(type(b.payload) is bytes for b in back.blocks)
    assert back.frame.equals(here.frame) and back.findings == here.findings
    assert pickle.loads(pickle.dumps(here, protocol=4)).blocks == here.blocks  # older protocols: in the pickle


def test_only_records_of_text_and_whole_numbers_are_hashed_from_memory():
    def plain(records):
        return batch_content._text_and_whole_numbers(list(zip(*records, strict=True)))

    assert plain([("INC1", "New", 1_772_323_200, 2, None), ("INC1", "Done", 1_772_323_260, 3, "Ana")])
    assert not plain([("INC1", "New", 1_772_323_200.0, 2, None)])  # a float comes back written otherwise
    assert not plain([("INC1", True, 1, 2, None)])  # SQLite gives a flag back as 1 in a text column
