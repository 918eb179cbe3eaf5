"""The two converter sets give the same results: a CSV body's polars text columns (importers/columnar.py, and
DateColumn's series path) and the cell-by-cell lists (importers/values.py, DateColumn's list path) stay apart
for speed, and these differential properties keep them equal.

Both read text cells and empty ones (None, "" and the null markers); each property converts one column both
ways, through the pipeline's own `typed` (null markers first, then the converter its field type names), and
compares every value, every problem and every finding.

Where they differ by design: cells a workbook already typed (floats, datetimes, booleans) only ever reach the
list path — a CSV series holds text alone — so they stay outside this comparison; and labels are compared as
values (the series path gives a categorical column above 5,000 rows, the list path a list below it).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from importers.dates import DateColumn
from importers.nulls import null_markers
from importers.typed_columns import Column, Reading, typed
from importers.values import NA_TIME
from sltdesk.domain.raw import FieldSpec, FieldType
from tests.budget import examples

EMPTY = st.sampled_from([None, "", "  ", "?", "n/a", "NULL", "-"])


def both(kind: FieldType, cells: list, **options) -> tuple[tuple, tuple]:
    """The column converted as a polars series and as a list: (values, problems, findings) each."""
    reading = Reading(sheet="export.csv", rows=np.arange(2, len(cells) + 2), timezone=options.get("timezone", "UTC"),
                      dayfirst=options.get("dayfirst"), date1904=False,
                      decimal_comma=options.get("decimal_comma", False), value_map={},
                      markers=null_markers(("?",)))
    spec = FieldSpec("value", kind)
    series = typed(Column(spec, pl.Series("c", cells, dtype=pl.String), "B 'Value'"), reading)
    listed = typed(Column(spec, list(cells), "B 'Value'"), reading)
    return series, listed


def plain(values) -> list:
    """Values comparable across the two paths: NaN as None, categorical labels as text."""
    out = []
    for v in list(values):
        if isinstance(v, float) and math.isnan(v):
            out.append(None)
        elif isinstance(v, np.generic):
            out.append(v.item())
        else:
            out.append(v)
    return out


def assert_same(series: tuple, listed: tuple) -> None:
    assert plain(series[0]) == plain(listed[0])
    assert series[1] == listed[1]
    assert series[2] == listed[2]


# --- numbers: thousands separators, decimal commas, percents, signs, blanks --------------------------------

@st.composite
def number_text(draw) -> str:
    whole = draw(st.integers(0, 10**9))
    grouped = draw(st.booleans())
    thousands = draw(st.sampled_from([",", ".", " ", "'", "\u00a0"]))
    decimal = draw(st.sampled_from([".", ","]))
    digits = f"{whole:,}".replace(",", thousands) if grouped else str(whole)
    fraction = draw(st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=4)))
    text = digits + (decimal + fraction if fraction else "")
    sign = draw(st.sampled_from(["", "-", "+"]))
    percent = draw(st.sampled_from(["", "%", " %"]))
    pad = draw(st.sampled_from(["", " "]))
    return pad + sign + text + percent + pad


ODD_NUMBERS = st.sampled_from(["1e3", "-2.5E-2", "NaN", "nan", "inf", "-inf", "Infinity", "abc", "12abc", "1.2.3",
                               "1,2,3", "0x10", "1_000", ".5", "5.", ",5", "--1", "%", "12 34", "١٢"])


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(number_text(), ODD_NUMBERS, EMPTY), min_size=1, max_size=30), st.booleans())
@example(["1.234,5", "1,234.5", "25,5", "1,234", "12 %", "(5)"], False)
@example(["1.234,5", "1,234.5", "25,5", "1,234", "0,5%", "1.5"], True)
def test_numbers_read_the_same_from_a_series_and_from_a_list(cells, decimal_comma):
    series, listed = both(FieldType.NUMBER, cells, decimal_comma=decimal_comma)
    assert_same(series, listed)


def test_the_number_property_compares_real_readings():
    series, listed = both(FieldType.NUMBER, ["1.234,5", "12 %", "n/a", "abc", None], decimal_comma=False)
    assert plain(series[0]) == [1234.5, 12.0, None, None, None]
    assert series[1] == [(3, "not-a-number", "'abc' is not a number")]
    assert_same(series, listed)


# --- dates and times: zones, clock changes, day order, offsets, blanks ------------------------------------

ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Sydney"]
# Around the 2026 clock changes of those zones: gaps and repeats are where a reading can go wrong.
EDGES = [datetime(2026, 3, 29, 1, 0), datetime(2026, 10, 25, 1, 0), datetime(2026, 3, 8, 2, 0),
         datetime(2026, 11, 1, 1, 0), datetime(2026, 4, 5, 2, 0), datetime(2026, 10, 4, 2, 0)]
FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S+02:00",
           "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S",
           "%m-%d-%Y %H:%M:%S"]
# Cells of a fixed-width layout's width that are not in it: a letter, a non-ASCII character, a wrong separator.
SAME_WIDTH_JUNK = ["31/12/2026 1a:00", "31/12/2026 1\u00e4:0", "31/12/2026T10:00", "31-12/2026 10:00",
                   "31/12/2026 10:00:\u00b0", "2026/12/31 10:00:00", "99/99/2026 10:00"]


@st.composite
def date_column(draw) -> list:
    """One column as an export writes it: one format, times near a clock change, some blanks and some junk."""
    shape = draw(st.sampled_from(FORMATS))
    edge = draw(st.sampled_from(EDGES))
    minutes = st.integers(-180, 180).map(lambda m: edge + timedelta(minutes=5 * m))
    cell = st.one_of(minutes.map(lambda t: t.strftime(shape)), EMPTY,
                     st.sampled_from(["not a date", "31/02/2026 10:00", "2026-13-01 10:00", "12:30", "yesterday",
                                      *SAME_WIDTH_JUNK]))
    return draw(st.lists(cell, min_size=1, max_size=25))


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(date_column(), st.sampled_from(ZONES), st.sampled_from([None, True, False]))
@example(["29.03.2026 00:30", "29.03.2026 01:30", "29.03.2026 02:30"], "Europe/London", None)
@example(["2026-10-25 01:30", "2026-10-25 01:10", "", None, "2026-10-25T00:30:00Z"], "Europe/London", None)
@example(["03/04/2026 10:00", "05/06/2026 10:00"], "UTC", None)
@example(["13/04/2026 10:00", " 05/06/2026 10:00 ", *SAME_WIDTH_JUNK, "", "05/06/2026 10:00:00"], "UTC", None)
@example(["04/13/2026 10:00:05", "05/06/2026 23:59:59", "05/06/2026 24:00:00", "31/04/2026 10:00:00"], "UTC", None)
# found by review: cells of several layouts in one column, where the series path read the day/month cells from their
# bytes and then sent the rest through every reader again (ISO dates, a second day-order decision, minute 60)
@example(["31.12.2026 10:00", "2026-12-04 03:54"], "UTC", True)
@example(["13/01/2026 10:00", "01/13/2026 10:60"], "UTC", None)
@example(["01/02/2026 10:00", "05/20/2026 10:00", "20/05/2026 10:00", "31/12/26 10:00pm"], "UTC", None)
@example(["05/06/2026 10:00", "5/\uff113/2026 1:00"], "UTC", None)
@example(["01/02/2026 10:00", "01/02/2026 10:0", "001/02/2026 10:00"], "UTC", None)  # a total of three 16s
def test_dates_read_the_same_from_a_series_and_from_a_list(cells, zone, dayfirst):
    series, listed = both(FieldType.DATETIME, cells, timezone=zone, dayfirst=dayfirst)
    assert_same(series, listed)


@st.composite
def mixed_date_column(draw) -> list:
    """A column whose cells each take their own layout (a merged export, a hand-edited one), blanks and junk."""
    edge = draw(st.sampled_from(EDGES))
    stamp = st.integers(-180, 180).map(lambda m: edge + timedelta(minutes=5 * m))
    cell = st.one_of(st.tuples(stamp, st.sampled_from(FORMATS)).map(lambda pair: pair[0].strftime(pair[1])), EMPTY,
                     st.sampled_from(["31/02/2026 10:00", "01/13/2026 10:60", "2026-13-01 10:00", "31/12/26 10:00pm",
                                      *SAME_WIDTH_JUNK]))
    return draw(st.lists(cell, min_size=1, max_size=25))


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_date_column(), st.sampled_from(ZONES), st.sampled_from([None, True, False]))
def test_dates_of_mixed_layouts_read_the_same_from_a_series_and_from_a_list(cells, zone, dayfirst):
    series, listed = both(FieldType.DATETIME, cells, timezone=zone, dayfirst=dayfirst)
    assert_same(series, listed)


def test_year_first_text_in_a_day_first_column_is_read_year_month_day():
    """Found by review: beside day-first cells, with --dayfirst, pandas read 2026-12-04 as 12 April (day-first
    applied to year-first text); both paths now read 4 December."""
    cells = ["31.12.2026 10:00", "2026-12-04 03:54", "2026/12/05", "20261206"]
    for values, problems, _notes in both(FieldType.DATETIME, cells, dayfirst=True):
        assert [datetime.fromtimestamp(v, UTC).strftime("%Y-%m-%d %H:%M") for v in values] == [
            "2026-12-31 10:00", "2026-12-04 03:54", "2026-12-05 00:00", "2026-12-06 00:00"]
        assert problems == []


def test_cells_of_other_widths_are_never_read_as_rows_of_one_width():
    """Cells 16, 15 and 17 characters wide make as many characters as three of 16: read as a matrix of 16, the
    last two gave 1 February 10:00, the last from '001/02/2026 10:00', which is no date."""
    for values, problems, _notes in both(FieldType.DATETIME, ["01/02/2026 10:00", "01/02/2026 10:0",
                                                              "001/02/2026 10:00"]):
        assert values[0] == 1769940000 and values[2] == NA_TIME and (2, "bad-date") in [p[:2] for p in problems]


def test_the_date_property_compares_real_readings():
    cells = ["2026-03-29 00:30", "2026-03-29 01:30", "2026-03-29T01:30:00Z", "?", "soon"]
    series, listed = both(FieldType.DATETIME, cells, timezone="Europe/London")
    # 00:30 is still GMT; 01:30 does not exist in London that night and is read as 02:30 BST, which is 01:30 UTC
    at = [int(datetime.fromisoformat(t).timestamp()) for t in ("2026-03-29T00:30:00+00:00",
                                                                 "2026-03-29T02:30:00+01:00",
                                                                 "2026-03-29T01:30:00+00:00")]
    assert plain(series[0]) == [*at, NA_TIME, NA_TIME]
    assert [p[:2] for p in series[1]] == [(4, "bad-date")]
    assert [f.code for f in series[2]] == ["null-marker", "dst-local-time"]
    assert_same(series, listed)


def test_a_csv_column_of_day_first_wall_times_is_read_from_its_bytes_without_text_per_cell():
    """The series path reads a fixed-width column (here 31/12/2026 23:59:59) from the column's joined bytes; a cell
    of the same width in no date layout is left to the reader after it, and a column `_fixed_width` would not read
    (cells of other widths) or would not reach (ISO dates) to the readers of text."""
    converter = DateColumn(timezone="UTC", dayfirst=None, date1904=False)
    cells = pl.Series(["31/12/2026 23:59:59", "01/02/2026 00:00:00", "13/01/2026 12:30:05", "31/12/2026 1a:00:00"])
    local = np.full(4, np.datetime64("NaT"), dtype="datetime64[ns]")
    done = converter._fixed_width_series(np.arange(4), cells, local)
    assert done.tolist() == [True, True, True, False]
    assert local[:3].astype("datetime64[s]").tolist() == [
        datetime(2026, 12, 31, 23, 59, 59), datetime(2026, 2, 1, 0, 0, 0), datetime(2026, 1, 13, 12, 30, 5)]
    assert converter.decision == "text dates read day-first (a day above 12 stands first)"
    uneven = pl.Series(["31/12/2026 23:59:59", "1/2/2026 00:00:00"])
    assert converter._fixed_width_series(np.arange(2), uneven, local[:2]) is None  # left to the readers of text
    iso = pl.Series(["2026-12-31 23:59:59", "2026-02-01 00:00:00"])  # the same width, but `_iso` reads these first
    assert converter._fixed_width_series(np.arange(2), iso, local[:2]) is None


# --- labels: text, priorities and yes/no, per row and per distinct label ----------------------------------

LABELS = {
    FieldType.TEXT: st.sampled_from(["Portal", " API ", "portal", "Ticket 007", "Ä-Dienst"]),
    FieldType.PRIORITY: st.sampled_from(["P1", "Sev 2", "3 - Moderate", "High", "niedrig", "urgent!", "P9"]),
    FieldType.BOOL: st.sampled_from(["yes", "No", "ja", "x", "0", "planned", "maybe", "TRUE"]),
}


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(LABELS)), st.data(), st.sampled_from([1, 400]))
def test_labels_read_the_same_from_a_series_and_from_a_list(kind, data, repeat):
    """Above 5,000 rows both paths convert each distinct label once (the series through polars' categories,
    the list through pandas.factorize) and spread the results back over the rows."""
    cells = data.draw(st.lists(st.one_of(LABELS[kind], EMPTY), min_size=1, max_size=20)) * repeat
    series, listed = both(kind, cells)
    assert_same(series, listed)


def test_an_empty_label_in_a_long_workbook_column_stays_empty_and_is_never_the_text_nan():
    """Found by the property above: over 5,000 rows the list path converts each distinct label once, and
    pandas.factorize turned the empty cell into NaN — stored as the status 'nan', or rejected as a yes/no."""
    cells = ["Closed", "n/a", None] * 2000
    series, listed = both(FieldType.TEXT, cells)
    assert plain(listed[0])[:3] == ["Closed", None, None]
    flags, problems, _notes = both(FieldType.BOOL, ["yes", None] * 3000)[1]
    assert plain(flags)[:2] == [True, None] and problems == []
    assert_same(series, listed)


def test_a_date_cell_of_spaces_alone_is_empty_wherever_it_stands():
    """Found by the property above: the list path stripped the cells only when the first one had spaces, so a
    later cell of spaces alone was 'not a date and time' in a workbook and empty in a CSV."""
    series, listed = both(FieldType.DATETIME, ["2026-03-02 09:00", "   ", " 2026-03-02 10:00 "])
    assert plain(listed[0]) == [1772442000, NA_TIME, 1772445600]
    assert listed[1] == []
    assert_same(series, listed)


# --- null markers: the column-wise search gives what trimming and lower-casing every cell gives ------------

def _markers_every_cell(cells: pl.Series, markers: frozenset[str]) -> tuple[list, int, set[str]]:
    """The plain reading: every cell trimmed and lower-cased, then looked up."""
    stripped = cells.str.strip_chars()
    hit = stripped.str.to_lowercase().is_in(list(markers)).fill_null(False)
    seen = set(stripped.filter(hit).unique().to_list())
    return [None if h else c for c, h in zip(cells.to_list(), hit.to_list(), strict=True)], int(hit.sum()), seen


MARKERISH = st.sampled_from(["?", " ? ", "N/A", "n/a\t", "\u00a0NULL", "null ", "(Blank)", "—", " - ", "None",
                             "nil", "NIL\n", "İ", "ß", "SS", "ẞ", "12", "1,5", "n/a x", "nulll", "", "   "])


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MARKERISH, st.none(), st.text(max_size=12)), min_size=1, max_size=40),
       st.lists(st.sampled_from(["ss", "i̇", "x", "不明", "  keine  "]), max_size=2))
def test_null_markers_are_found_the_same_on_distinct_short_cells(cells, extra):
    from importers.nulls import blank_nulls

    markers = null_markers(extra)
    for repeated in (cells, cells * 8):  # mostly different cells, and a few repeated ones (tested when distinct)
        series = pl.Series("c", repeated, dtype=pl.String)
        out, count, seen = blank_nulls(series, markers)
        assert (out.to_list(), count, seen) == _markers_every_cell(series, markers)


def _markers_cell_by_cell(cells: list, markers: frozenset[str]) -> tuple[list, int, set[str]]:
    """The plain reading of workbook cells: each text trimmed and case-folded, then looked up."""
    hit = [isinstance(c, str) and c.strip().casefold() in markers for c in cells]
    return [None if h else c for c, h in zip(cells, hit, strict=True)], sum(hit), {
        c.strip() for c, h in zip(cells, hit, strict=True) if h}


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MARKERISH, st.none(), st.text(max_size=12), st.floats(allow_nan=True), st.integers(),
                          st.booleans(), st.text(min_size=9, max_size=14).map(lambda t: f"  {t} ")),
                min_size=1, max_size=40),
       st.lists(st.sampled_from(["ss", "i̇", "x", "不明", "  keine  "]), max_size=2))
def test_null_markers_in_workbook_cells_are_found_as_cell_by_cell(cells, extra):
    from importers.nulls import blank_nulls

    markers = null_markers(extra)
    for repeated in (cells, cells * 30):  # mostly different cells, and a repetitive column (looked at per cell value)
        out, count, seen = blank_nulls(tuple(repeated), markers)
        assert (list(out), count, seen) == _markers_cell_by_cell(list(repeated), markers)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MARKERISH, st.none(), st.sampled_from(["probe-1", "probe-2", "eu-west"])), min_size=1,
                max_size=40))
def test_null_markers_in_a_categorical_column_are_found_as_in_its_text(cells):
    from importers.nulls import blank_nulls

    markers = null_markers()
    text = pl.Series("c", cells * 8, dtype=pl.String)
    out, count, seen = blank_nulls(text.cast(pl.Categorical), markers)
    assert (out.cast(pl.String).to_list(), count, seen) == _markers_every_cell(text, markers)
