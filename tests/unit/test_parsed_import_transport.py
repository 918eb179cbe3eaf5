"""A ParsedImport crosses from the reader process with its sample blocks' payloads in one buffer beside the
pickle (protocol 5), and whole under any other protocol."""

from __future__ import annotations

import copy
import pickle

import pytest

from sltdesk.domain.raw import ParsedImport, RecordKind
from sltdesk.domain.raw_records import SampleBlock

BLOCKS = [SampleBlock("eu", 20_513, 1_772_323_200, 1_772_409_300, 288, b"SB3\x00first"),
          SampleBlock("", 20_514, 1_772_409_600, 1_772_409_600, 1, b""),
          SampleBlock("us", 20_513, 1_772_323_200, 1_772_323_500, 2, b"SB3second\xff")]


def parsed(blocks) -> ParsedImport:
    return ParsedImport(kind=RecordKind.SAMPLES, file_name="s.csv", sha256="ab", sheet="s.csv", header_row=1,
                        mapping={"timestamp": "time"}, frame=None, rows_read=291, rows_rejected=0, blocks=blocks,
                        accepted=291)


def test_protocol_5_sends_the_payloads_as_one_buffer_beside_the_pickle():
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(parsed(BLOCKS), protocol=5, buffer_callback=buffers.append)
    assert [bytes(b.raw()) for b in buffers] == [b"SB3\x00first" + b"SB3second\xff"]
    assert b"SB3second" not in head
    back = pickle.loads(head, buffers=[b.raw() for b in buffers])
    assert back == parsed(BLOCKS) and [type(b.payload) for b in back.blocks] == [bytes, bytes, bytes]
    assert all(isinstance(b, SampleBlock) for b in back.blocks)


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
@pytest.mark.parametrize("blocks", [BLOCKS, [], None])
def test_every_protocol_and_a_copy_give_the_same_import_back(protocol, blocks):
    original = parsed(blocks)
    assert pickle.loads(pickle.dumps(original, protocol=protocol)) == original
    assert copy.deepcopy(original) == original and copy.copy(original) == original
