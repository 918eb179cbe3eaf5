"""The demo writes its generated vendor files with polars' CSV writer: byte for byte what pandas' to_csv wrote
(the files' SHA-256 are in the audit trail, so the demo's trail stays what it was)."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sltdesk.wiring import write_csv
from tests.budget import examples

TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=8) | st.sampled_from(
    ["", " ", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "—", "Impact %", "0042", "NULL"])


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, st.integers(-10**12, 10**12), TEXT), min_size=1, max_size=20),
       st.sampled_from([["Note", "Impact %", "Ticket"], ["a,b", "n", 'q"']]))
def test_text_and_whole_number_columns_are_written_as_pandas_writes_them(tmp_path_factory, rows, names):
    frame = pd.DataFrame(rows, columns=names)
    folder = tmp_path_factory.mktemp("csv")
    write_csv(frame, folder / "polars.csv")
    frame.to_csv(folder / "pandas.csv", index=False)
    assert (folder / "polars.csv").read_bytes() == (folder / "pandas.csv").read_bytes()


def test_other_columns_are_left_to_pandas(tmp_path):
    frame = pd.DataFrame({"Amount": [1.5, None], "When": pd.to_datetime(["2026-01-01", "2026-02-01"])})
    write_csv(frame, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_text() == frame.to_csv(index=False)
