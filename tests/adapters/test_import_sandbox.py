"""The reader process: big results come back whole through a private file, which never stays behind."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from importers.safety import UnsafeFileError
from importers.sandbox import run_isolated


def _big_frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"t": np.arange(n, dtype=np.int64), "x": np.linspace(0, 1, n),
                         "probe": pd.Categorical(np.where(np.arange(n) % 2, "eu", "us"))})


def _fail(_n: int) -> None:
    raise ValueError("no such column")


def spills() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("sltdesk-read-*"))


def test_a_big_result_arrives_whole_and_its_spill_file_is_removed(tmp_path):
    before = spills()
    frame = run_isolated(_big_frame, 400_000, file=tmp_path / "x.csv")
    pd.testing.assert_frame_equal(frame, _big_frame(400_000))
    frame.loc[0, "x"] = 5.0  # the arrays are the caller's own, writable
    assert spills() == before


def test_a_small_result_and_a_failure_leave_no_file_either(tmp_path):
    before = spills()
    assert run_isolated(len, [1, 2, 3], file=tmp_path / "x.csv") == 3
    with pytest.raises(UnsafeFileError, match=r"x.csv could not be read: the file is damaged or is not what its "
                                              r"name says \(ValueError: no such column\); nothing was stored.$"):
        run_isolated(_fail, 1, file=tmp_path / "x.csv")
    assert spills() == before
