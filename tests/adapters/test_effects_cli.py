"""`sltdesk actions effect` and `sltdesk indicators` on a small workspace: what they refuse, and what they say
when there is too little to test."""

from __future__ import annotations

import json

import pytest

from models.workspace import open_workspace
from sltdesk.cli import main
from tests.adapters.review_setup import SUPPLIER, small_supplier, two_reviews


@pytest.fixture
def ws_path(tmp_path) -> str:
    path = tmp_path / "small.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    try:
        two_reviews(ws, small_supplier(ws, tmp_path))
    finally:
        ws.close()
    return str(path)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def ref(capsys, ws_path: str, text: str) -> str:
    """The action's reference (A-n), found by its text: actions opened on repeated breaches take numbers too."""
    _, out, _ = run(capsys, "actions", "list", "-w", ws_path, "--supplier", SUPPLIER, "--json")
    return next(a["action"] for a in json.loads(out) if a["text"] == text)


def test_a_done_action_with_six_months_of_data_has_not_enough_periods(ws_path, capsys):
    # it was raised at the May review (held 2026-06-10) and done on 2026-06-20: January – May are before it,
    # nothing after June has data
    firmware = ref(capsys, ws_path, "Patch the storage firmware")
    code, out, _ = run(capsys, "actions", "effect", firmware, "-w", ws_path, "--last", "2026-06", "--json")
    [effect] = json.loads(out)
    assert code == 0 and (effect["opened_on"], effect["closed_on"]) == ("2026-06-10", "2026-06-20")
    assert effect["verdict"] == "not enough periods (5 before, 0 after)" and effect["test"] is None
    _, text, _ = run(capsys, "actions", "effect", "-w", ws_path, "--supplier", SUPPLIER, "--last", "2026-06")
    assert "opened 2026-06-10, done 2026-06-20: not enough periods (5 before, 0 after)" in text


def test_an_open_action_is_not_tested(ws_path, capsys):
    _, listed, _ = run(capsys, "actions", "list", "-w", ws_path, "--supplier", SUPPLIER, "--json")
    action = next(a["action"] for a in json.loads(listed) if a["text"].startswith("=HYPERLINK"))  # left open
    _, out, _ = run(capsys, "actions", "effect", action, "-w", ws_path, "--json")
    assert json.loads(out)[0]["verdict"] == "not done yet"


def test_an_action_raised_with_an_earlier_opening_day_keeps_it(ws_path, capsys):
    code, _, _ = run(capsys, "actions", "add", "-w", ws_path, "--supplier", SUPPLIER, "--period", "2026-06",
                     "--text", "Begun in spring", "--opened", "2026-04-01")
    assert code == 0
    _, out, _ = run(capsys, "actions", "list", "-w", ws_path, "--supplier", SUPPLIER, "--json")
    assert {a["text"]: a["opened_on"] for a in json.loads(out)}["Begun in spring"] == "2026-04-01"


@pytest.mark.parametrize("args, message", [
    (("actions", "effect", "A-1", "--supplier", SUPPLIER), "Name one action (e.g. A-12) or a --supplier"),
    (("actions", "effect"), "Name one action (e.g. A-12) or a --supplier"),
    (("indicators", "--contract", "SP-1", "--last", "2026-Q2"), "--last takes a month"),
])
def test_usage_mistakes_are_one_sentence(ws_path, capsys, args, message):
    code, out, err = run(capsys, *args, "-w", ws_path)
    assert code == 2 and out == "" and message in err


def test_six_months_are_too_few_for_any_indicator(ws_path, capsys):
    code, out, _ = run(capsys, "indicators", "-w", ws_path, "--contract", "SP-1", "--last", "2026-06", "--json")
    found = json.loads(out)
    assert code == 0 and found["candidates"] == ["ticket backlog"]
    assert {t["target"]: t["text"] for t in found["targets"]} == {
        "Availability": "no indicator stands out", "a < b P1 response": "no indicator stands out"}
