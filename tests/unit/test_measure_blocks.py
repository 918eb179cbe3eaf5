"""Stored encodings of samples (sltdesk/codecs/sample_blocks.py) and of data frames (sltdesk/codecs/frames.py):
the byte layouts their docstrings describe, exact round trips, old formats, and the edge sizes."""

from __future__ import annotations

import json
import struct
import threading
import zlib

import numpy as np
import pandas as pd
import pytest
import zstandard

from sltdesk.codecs import frames as blocks
from sltdesk.codecs import sample_blocks
from sltdesk.errors import DamagedDataError
from sltdesk.rules.sample_blocks import DAY, DTYPE

T = 1_772_409_600  # Monday 2 March 2026 00:00 UTC, day 20,514 since 1970
NAN = float("nan")


def unzstd(payload: bytes) -> bytes:
    return zstandard.ZstdDecompressor().decompress(payload[3:])


def structured(t, requests, errors, ok, latency, row) -> np.ndarray:
    out = np.empty(len(t), dtype=DTYPE)
    for name, values in zip(DTYPE.names, (t, requests, errors, ok, latency, row), strict=True):
        out[name] = values
    return out


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == DTYPE and len(a) == len(b) and all(
        np.array_equal(a[f], b[f], equal_nan=True) for f in DTYPE.names)


THREE = structured([T, T + 300, T + 900], [100, 200, 50], [0, 3, 1], [1, 0, -1], [250.5, NAN, 80], [2, 3, 5])


def plain_sb3(t, requests, errors, ok, latency, row) -> bytes:
    """The SB3 layout written out by hand: head (count, first time, first row), then each column, the times and
    rows as differences from the previous one (0 for the first)."""
    t, row = np.asarray(t, dtype=np.int64), np.asarray(row, dtype=np.int64)
    return (struct.pack("<qqq", len(t), t[0], row[0]) + np.diff(t, prepend=t[0]).astype("<i8").tobytes()
            + np.asarray(requests, "<f4").tobytes() + np.asarray(errors, "<f4").tobytes()
            + np.asarray(ok, "i1").tobytes() + np.asarray(latency, "<f4").tobytes()
            + np.diff(row, prepend=row[0]).astype("<i4").tobytes())


# sample blocks: layout and round trips


def test_a_sample_block_is_laid_out_as_documented():
    payload = sample_blocks.encode(THREE)
    assert payload[:3] == b"SB3"
    assert unzstd(payload) == plain_sb3([T, T + 300, T + 900], [100, 200, 50], [0, 3, 1], [1, 0, -1],
                                        [250.5, NAN, 80], [2, 3, 5])
    assert same(sample_blocks.decode(payload), THREE)


def test_each_block_of_many_carries_its_own_first_time_and_row():
    columns = {name: THREE[name] for name in DTYPE.names}
    first, second = sample_blocks.encode_many(columns, [(0, 1), (1, 3)])
    assert unzstd(first) == plain_sb3([T], [100], [0], [1], [250.5], [2])
    assert unzstd(second) == plain_sb3([T + 300, T + 900], [200, 50], [3, 1], [0, -1], [NAN, 80], [3, 5])
    assert same(sample_blocks.decode(second), THREE[1:])


def test_columns_of_other_numeric_types_are_stored_in_the_layouts_types():
    columns = {"t": [T, T + 300], "requests": [1e3, 2e3], "errors": [1, 2], "ok": np.array([1, 0], dtype=np.int64),
               "latency_ms": [10.25, 20.5], "row": np.array([7, 9], dtype=np.int64)}
    (payload,) = sample_blocks.encode_many({k: np.asarray(v) for k, v in columns.items()}, [(0, 2)])
    assert same(sample_blocks.decode(payload), structured(*columns.values()))


def test_no_spans_make_no_blocks():
    columns = {name: THREE[name] for name in DTYPE.names}
    assert sample_blocks.encode_many(columns, []) == []
    assert sample_blocks.encode_many({name: THREE[name][:0] for name in DTYPE.names}, []) == []


def test_a_large_batch_of_blocks_compresses_each_block_on_its_own():
    data = np.resize(THREE, 3 * 70)
    data["t"] = T + 300 * np.arange(len(data))
    data["row"] = 2 + np.arange(len(data))
    spans = [(3 * i, 3 * i + 3) for i in range(70)]  # more than 64: the multi-threaded compressor
    payloads = sample_blocks.encode_many({name: data[name] for name in DTYPE.names}, spans)
    assert len(payloads) == 70
    assert all(same(sample_blocks.decode(p), data[a:b]) for p, (a, b) in zip(payloads, spans, strict=True))


def test_bytes_that_are_no_sample_block_are_refused():
    with pytest.raises(DamagedDataError, match=r"^A block of samples stored in the workspace cannot be read "
                                               r"\(ValueError: not a sample block\); it was changed"):
        sample_blocks.decode(b"FB2" + zlib.compress(THREE.tobytes()))


def test_a_block_reads_in_any_thread_and_each_thread_keeps_its_own_decompressor():
    payload = sample_blocks.encode(THREE)
    seen = {}

    def work():
        seen["same"] = same(sample_blocks.decode(payload), THREE)
        seen["unpacker"] = sample_blocks._unpacker()
        seen["kept"] = sample_blocks._unpacker() is seen["unpacker"]

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen["same"] and seen["kept"] and isinstance(seen["unpacker"], zstandard.ZstdDecompressor)
    mine = sample_blocks._unpacker()
    assert mine is sample_blocks._unpacker() and mine is not seen["unpacker"]


# sample blocks: from a samples frame


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "probe": ["eu", "us", "eu", "eu", None, "eu"],
        "timestamp": [T + 600, T + 300, T + 300, T + DAY + 60, T + 900, T + DAY + 360],
        "requests": [100, 40, 90, 80, 10, 70], "errors": [1, 0, 2, 0, 0, 5],
        "ok": pd.Series([True, False, None, True, False, None], dtype=object),
        "latency_ms": [200.0, 310.0, 250.0, NAN, 120.0, 90.0], "source_row": [2, 3, 4, 5, 6, 7]})


def test_samples_become_one_block_per_probe_and_utc_day():
    found = sample_blocks.frame_blocks(frame())
    day = T // DAY
    assert [b[:5] for b in found] == [("eu", day, T + 300, T + 600, 2), ("eu", day + 1, T + DAY + 60,
                                                                          T + DAY + 360, 2),
                                      ("us", day, T + 300, T + 300, 1), ("", day, T + 900, T + 900, 1)]
    eu_monday = sample_blocks.decode(found[0][5])
    assert same(eu_monday, structured([T + 300, T + 600], [90, 100], [2, 1], [-1, 1], [250, 200], [4, 2]))
    eu_tuesday = sample_blocks.decode(found[1][5])
    assert same(eu_tuesday, structured([T + DAY + 60, T + DAY + 360], [80, 70], [0, 5], [1, -1], [NAN, 90], [5, 7]))
    assert same(sample_blocks.decode(found[2][5]), structured([T + 300], [40], [0], [0], [310], [3]))
    assert same(sample_blocks.decode(found[3][5]), structured([T + 900], [10], [0], [0], [120], [6]))


def test_samples_without_probes_or_optional_columns_still_make_blocks():
    bare = frame()[["timestamp", "source_row"]]
    found = sample_blocks.frame_blocks(bare)
    day = T // DAY
    assert [b[:5] for b in found] == [("", day, T + 300, T + 900, 4), ("", day + 1, T + DAY + 60, T + DAY + 360, 2)]
    monday = sample_blocks.decode(found[0][5])
    assert monday["t"].tolist() == [T + 300, T + 300, T + 600, T + 900] and monday["row"].tolist() == [3, 4, 2, 6]
    assert monday["ok"].tolist() == [-1] * 4
    assert all(np.isnan(monday[name]).all() for name in ("requests", "errors", "latency_ms"))


def test_the_block_columns_of_a_frame_have_the_layouts_types():
    columns = sample_blocks.columns_of(frame())
    assert {name: values.dtype for name, values in columns.items()} == {name: DTYPE[name] for name in DTYPE.names}
    assert columns["ok"].tolist() == [1, 0, -1, 1, 0, -1]  # a missing verdict is −1
    assert columns["t"].tolist() == [T + 600, T + 300, T + 300, T + DAY + 60, T + 900, T + DAY + 360]
    assert columns["row"].tolist() == [2, 3, 4, 5, 6, 7] and columns["requests"].tolist()[:2] == [100.0, 40.0]
    assert columns["errors"].tolist()[-1] == 5.0 and columns["latency_ms"].tolist()[0] == 200.0
    bare = sample_blocks.columns_of(pd.DataFrame({"timestamp": [T], "source_row": [9]}))
    assert bare["ok"].tolist() == [-1] and bare["ok"].dtype == np.int8 and np.isnan(bare["latency_ms"][0])


def test_no_samples_no_blocks():
    assert sample_blocks.frame_blocks(frame().iloc[0:0]) == []
    columns, spans = sample_blocks.split_days(None, sample_blocks.columns_of(frame().iloc[0:0]))
    assert spans == [] and len(columns["t"]) == 0


def test_samples_at_the_same_time_keep_the_order_they_were_read_in():
    t = np.array([T + 300 * (i % 3) for i in range(20)], dtype=np.int64)  # three times, interleaved
    columns = {"t": t, "row": np.arange(20, dtype=np.int32)}
    ordered, spans = sample_blocks.split_days(None, columns)
    assert spans == [("", T // DAY, 0, 20)]
    assert ordered["row"].tolist() == [*range(0, 20, 3), *range(1, 20, 3), *range(2, 20, 3)]
    assert ordered["t"].tolist() == [T] * 7 + [T + 300] * 7 + [T + 600] * 6


def test_a_probe_or_a_day_with_several_samples_stays_one_block():
    t = np.array([T, T + 60, T + DAY, T + DAY + 60, T, T + 60, T + 120], dtype=np.int64)
    columns = {"t": t, "row": np.arange(7, dtype=np.int32)}
    probes = pd.Series(["a", "a", "a", "a", "b", "b", "b"])
    _, spans = sample_blocks.split_days(probes, columns)
    day = T // DAY
    assert spans == [("a", day, 0, 2), ("a", day + 1, 2, 4), ("b", day, 4, 7)]


# frame blocks


def test_a_frame_block_is_laid_out_as_documented():
    data = pd.DataFrame({"n": np.array([1, 2, 3, 4, 5], dtype=np.int64),
                         "city": ["Zürich", "Zürich", "Köln", "Zürich", "Köln"],  # two labels: stored once each
                         "note": ["a", "b", "ç", "d", None]})  # four values in five rows: text
    raw = unzstd(blocks.encode_frame(data))
    labels = '["Zürich","Köln"]'.encode() + b"\0" + np.array([0, 0, 1, 0, 1], "<i4").tobytes()
    text = '["a","b","ç","d",null]'.encode()
    head = json.dumps({"rows": 5, "columns": [{"name": "n", "dtype": "int64", "bytes": 40},
                                              {"name": "city", "dtype": "labels", "bytes": len(labels)},
                                              {"name": "note", "dtype": "text", "bytes": len(text)}]}).encode()
    assert raw == head + b"\0" + np.arange(1, 6, dtype="<i8").tobytes() + labels + text


def kinds(data: pd.DataFrame) -> list[str]:
    raw = unzstd(blocks.encode_frame(data))
    return [c["dtype"] for c in json.loads(raw[:raw.index(b"\0")])["columns"]]


def test_a_text_column_is_stored_as_labels_only_when_they_repeat():
    assert kinds(pd.DataFrame({"x": ["P1", "P2", "P1", "P1", "P2"]})) == ["labels"]  # 2 × 2 < 5
    assert kinds(pd.DataFrame({"x": ["P1", "P2", "P1", "P2"]})) == ["text"]  # 2 × 2 = 4: not fewer
    assert kinds(pd.DataFrame({"x": ["a", "b", "c", "d", "a"]})) == ["text"]  # 4 × 2 ≥ 5
    assert kinds(pd.DataFrame({"x": ["T-1", "T-2", "T-3"]})) == ["text"]
    assert kinds(pd.DataFrame({"x": pd.Categorical(["P1", "P2", "P1", "P1", "P1"])})) == ["labels"]


def test_a_column_of_ids_is_text_and_a_thousand_labels_still_labels():
    thousand = [f"id-{i % 1000}" for i in range(2001)]  # 1,000 labels in 2,001 rows: 2,000 < 2,001
    assert kinds(pd.DataFrame({"x": thousand})) == ["labels"]
    ids = [f"id-{i}" for i in range(1001)] * 2 + ["id-0"]  # 1,001 different in the first 2,000 rows
    assert kinds(pd.DataFrame({"x": ids})) == ["text"]
    assert blocks.decode_frame(blocks.encode_frame(pd.DataFrame({"x": ids})))["x"].tolist() == ids


def test_frame_blocks_round_trip_with_their_types():
    data = pd.DataFrame({"i64": np.array([1, -2], dtype=np.int64), "i32": np.array([3, 4], dtype=np.int32),
                         "f64": [0.1, NAN], "f32": np.array([1.5, 2.5], dtype=np.float32),
                         "i8": np.array([-1, 1], dtype=np.int8), "flag": [True, False],
                         "text": pd.Series(["x", None], dtype=object)})
    back = blocks.decode_frame(blocks.encode_frame(data))
    assert [str(back[c].dtype) for c in back.columns] == ["int64", "int32", "float64", "float32", "int8", "bool",
                                                          "object"]
    assert back["i64"].tolist() == [1, -2] and back["flag"].tolist() == [True, False]
    assert back["f64"].iloc[0] == 0.1 and np.isnan(back["f64"].iloc[1])
    assert back["text"].tolist() == ["x", None]
    assert back.index.equals(pd.RangeIndex(2))


def test_text_that_is_not_all_strings_is_stored_as_strings_with_gaps_as_none():
    data = pd.DataFrame({"mixed": pd.Series([1, "x", NAN, None, 2.5], dtype=object)})
    back = blocks.decode_frame(blocks.encode_frame(data))
    assert back["mixed"].tolist() == ["1", "x", None, None, "2.5"]
    assert back["mixed"].dtype == object


def test_a_frame_of_rows_without_columns_keeps_its_rows():
    back = blocks.decode_frame(blocks.encode_frame(pd.DataFrame(index=pd.RangeIndex(3))))
    assert len(back) == 3 and list(back.columns) == []


def test_a_frame_block_in_the_earlier_zlib_format_still_reads_and_other_bytes_are_refused():
    data = pd.DataFrame({"n": np.array([7, 8], dtype=np.int64), "s": ["é", None]})
    legacy = b"FB1" + zlib.compress(unzstd(blocks.encode_frame(data)))
    back = blocks.decode_frame(legacy)
    assert back["n"].tolist() == [7, 8] and back["s"].tolist() == ["é", None]
    with pytest.raises(DamagedDataError, match=r"^A block of tickets stored in the workspace cannot be read "
                                               r"\(ValueError: not a data block\);"):
        blocks.decode_frame(b"SB3" + b"\0" * 8)
