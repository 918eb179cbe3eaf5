"""A batch's blocks are hashed and summed in one step, and its rows' fields written column by column: the same
content hash as hashing each block, or each row's fields, one by one."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import reduce

from hypothesis import given
from hypothesis import strategies as st

from sltdesk.rules.content_hash import Digest, _text, block_digest, blocks_digest, rows_digest

BLOCKS = st.lists(st.tuples(st.one_of(st.text(max_size=6), st.integers(0, 10**6)), st.integers(0, 5000),
                            st.binary(max_size=64)), max_size=30)


@given(BLOCKS)
def test_summing_a_batchs_blocks_at_once_gives_the_sum_of_each_blocks_digest(blocks):
    one_by_one = reduce(lambda total, b: total + block_digest("sample_blocks", *b), blocks, Digest())
    assert blocks_digest("sample_blocks", blocks) == one_by_one


def test_no_blocks_hash_to_nothing():
    assert blocks_digest("ticket_blocks", []) == Digest()


def _row_by_row(table: str, rows: list[tuple]) -> Digest:
    """Each row's digest over its fields as `_text` writes them, one field at a time, added up."""
    total = Digest()
    for row in rows:
        digest = hashlib.sha256((f"{table}\x1e" + "\x1f".join(_text(v) for v in row)).encode("utf-8")).digest()
        total += Digest(int.from_bytes(digest[:8], "little") | int.from_bytes(digest[8:16], "little") << 64
                        | int.from_bytes(digest[16:24], "little") << 128 | int.from_bytes(digest[24:], "little") << 192,
                        1)
    return total


FIELD = st.one_of(st.text(max_size=5), st.none(), st.integers(-(2**70), 2**70), st.booleans(),
                  st.floats(allow_nan=True), st.decimals(allow_nan=False, allow_infinity=False, places=2))
# a column of one kind (text, text or empty, whole numbers) is written in one step: drawn often
COLUMN_KINDS = st.sampled_from([st.text(max_size=5), st.one_of(st.text(max_size=3), st.none()),
                                st.integers(-(2**70), 2**70), FIELD])


@given(st.integers(1, 5).flatmap(lambda width: st.tuples(*[COLUMN_KINDS] * width)).flatmap(
    lambda kinds: st.lists(st.tuples(*kinds), max_size=12)))
def test_rows_written_column_by_column_hash_as_each_row_written_field_by_field(rows):
    assert rows_digest("ticket_events", rows) == _row_by_row("ticket_events", rows)
    assert rows_digest("ticket_events", iter(rows)) == _row_by_row("ticket_events", rows)


def test_a_flag_is_no_number_and_an_empty_field_no_text():
    assert rows_digest("outages", [(True, None)]) != rows_digest("outages", [(1, "")])
    assert rows_digest("outages", [(True,), (1,)]) == _row_by_row("outages", [(True,), (1,)])
    assert rows_digest("credit_notes", [(Decimal("1.50"),)]) != rows_digest("credit_notes", [(Decimal("1.5"),)])
