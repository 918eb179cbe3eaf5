"""Stored sample blocks: exact round trips, and blocks written by the earlier format still read."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sltdesk.codecs import sample_blocks
from sltdesk.rules.sample_blocks import DTYPE
from tests.budget import examples


def samples(n: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    data = np.empty(n, dtype=DTYPE)
    data["t"] = 1_772_323_200 + np.cumsum(rng.choice([300, 300, 300, 600, 7], n))
    data["requests"] = rng.integers(0, 5000, n)
    data["errors"] = rng.integers(0, 20, n)
    data["ok"] = rng.choice([-1, 0, 1], n)
    data["latency_ms"] = np.where(rng.random(n) < 0.1, np.nan, rng.integers(100, 900, n))
    data["row"] = 2 + np.cumsum(rng.choice([1, 1, 2], n))
    return data


def columns(data: np.ndarray) -> dict[str, np.ndarray]:
    return {name: np.ascontiguousarray(data[name]) for name in DTYPE.names}


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return len(a) == len(b) and all(np.array_equal(a[f], b[f], equal_nan=True) for f in DTYPE.names)


@settings(max_examples=examples(40), deadline=None)
@given(sizes=st.lists(st.integers(1, 400), min_size=1, max_size=12), seed=st.integers(0, 1000))
def test_every_block_decodes_to_exactly_its_samples(sizes, seed):
    data = samples(sum(sizes), seed)
    bounds = np.cumsum([0, *sizes]).tolist()
    spans = list(zip(bounds[:-1], bounds[1:], strict=True))
    payloads = sample_blocks.encode_many(columns(data), spans)
    assert len(payloads) == len(spans)
    for (a, b), payload in zip(spans, payloads, strict=True):
        assert payload.startswith(b"SB3") and same(sample_blocks.decode(payload), data[a:b])


def test_a_steady_series_compresses_well():
    data = samples(288 * 30)
    data["t"] = 1_772_323_200 + 300 * np.arange(len(data))
    payloads = sample_blocks.encode_many(columns(data), [(i, i + 288) for i in range(0, len(data), 288)])
    assert sum(map(len, payloads)) < data.nbytes / 3


def test_a_block_in_the_earlier_row_format_still_reads():
    data = samples(50)
    legacy = b"SB2" + zlib.compress(data.tobytes(), 1)
    assert same(sample_blocks.decode(legacy), data)


def test_split_days_sorts_by_probe_and_time_and_cuts_at_midnight():
    day = 86_400
    data = np.zeros(5, dtype=DTYPE)
    data["t"] = [day + 600, 2 * day + 300, day + 300, day + 900, day + 300]
    data["row"] = [2, 3, 4, 5, 6]
    probes = pd.Series(pd.Categorical(["eu", "eu", "eu", "us", None]))
    ordered, spans = sample_blocks.split_days(probes, columns(data))
    assert [(p, d, b - a) for p, d, a, b in spans] == [("eu", 1, 2), ("eu", 2, 1), ("us", 1, 1), ("", 1, 1)]
    assert ordered["row"].tolist() == [4, 2, 3, 5, 6]


def test_frame_blocks_round_trip_with_labels_text_and_the_earlier_zlib_format():
    from sltdesk.codecs import frames as blocks

    frame = pd.DataFrame({
        "ticket_id": ["T-1", "T-2", "T-3", "T-4", "T-5"],
        "priority": pd.Categorical(["P1", "P2", None, "P1", "P1"]),
        "service": ["WAN", "WAN", "WAN", "WAN", None],
        "opened_at": np.array([10, 20, 30, 40, 50], dtype=np.int64),
        "impact": [1.5, np.nan, 3.0, 4.0, 5.0]})
    back = blocks.decode_frame(blocks.encode_frame(frame))
    assert back["priority"].tolist() == ["P1", "P2", None, "P1", "P1"]
    assert back["service"].tolist() == ["WAN", "WAN", "WAN", "WAN", None]
    assert back["ticket_id"].tolist() == frame["ticket_id"].tolist()
    assert back["opened_at"].tolist() == [10, 20, 30, 40, 50] and np.isnan(back["impact"].iloc[1])
    plain = frame.astype({"priority": object})
    payload = blocks.encode_frame(plain)
    legacy = b"FB1" + zlib.compress(blocks.zstandard.ZstdDecompressor().decompress(payload[3:]), 1)
    assert blocks.decode_frame(legacy)["priority"].tolist() == ["P1", "P2", None, "P1", "P1"]
