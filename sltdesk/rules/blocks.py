"""Tickets are kept in blocks: a contract's tickets opened in one UTC month (yyyymm) form one block.

How a block is written down is the storage adapter's business (sltdesk/codecs/frames.py, used by
models/raw_repository.py); what a block holds is decided here.
"""

from __future__ import annotations

import numpy as np

NA_TIME = np.iinfo(np.int64).min  # a missing time in an int64 column of epoch seconds


def month_keys(stamps: np.ndarray) -> np.ndarray:
    """yyyymm of each UTC epoch second (missing times fall into month 0): the block each ticket belongs in."""
    valid = stamps != NA_TIME
    months = np.zeros(len(stamps), dtype=np.int64)
    as_month = stamps[valid].astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    months[valid] = (as_month // 12 + 1970) * 100 + as_month % 12 + 1
    return months
