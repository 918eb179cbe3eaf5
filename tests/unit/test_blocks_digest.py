"""A batch's blocks are hashed and summed in one step: the same content hash as adding them one by one."""

from __future__ import annotations

from functools import reduce

from hypothesis import given
from hypothesis import strategies as st

from sltdesk.rules.content_hash import Digest, block_digest, blocks_digest

BLOCKS = st.lists(st.tuples(st.one_of(st.text(max_size=6), st.integers(0, 10**6)), st.integers(0, 5000),
                            st.binary(max_size=64)), max_size=30)


@given(BLOCKS)
def test_summing_a_batchs_blocks_at_once_gives_the_sum_of_each_blocks_digest(blocks):
    one_by_one = reduce(lambda total, b: total + block_digest("sample_blocks", *b), blocks, Digest())
    assert blocks_digest("sample_blocks", blocks) == one_by_one


def test_no_blocks_hash_to_nothing():
    assert blocks_digest("ticket_blocks", []) == Digest()
