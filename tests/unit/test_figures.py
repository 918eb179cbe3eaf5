"""Exact figures and how they are written: never rounded before a verdict, never written across an edge."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sltdesk.domain.figures import (
    EXACT,
    decimals_for_any_edge,
    decimals_needed,
    percent,
    places_for,
    ratio,
    rounded,
    shown,
    shown_with_unit,
    signed,
)


def test_a_percentage_is_the_exact_ratio_to_fifty_digits():
    value = percent(2_592_000 - 260, 2_592_000)
    assert str(value) == "99.989969135802469135802469135802469135802469135802"
    assert value < D("99.99") and percent(25_920 * 99, 25_920 * 100) == D(99)
    assert percent(1, 0) is None and percent(0, 5) == 0
    assert ratio(7, 2) == D("3.5") and ratio(1, 3, scale=3) == 1 and ratio(5, 0) is None


@given(st.integers(0, 10**12), st.integers(1, 10**12))
def test_a_percentage_compares_with_any_four_decimal_bound_as_the_fraction_does(good, extra):
    total = good + extra
    value = percent(good, total)
    exact = Fraction(good * 100, total)
    bound = D(round(exact * 10_000)) / 10_000  # the nearest four-decimal edge: the hardest one to tell apart
    assert (value < bound) == (exact < Fraction(bound)) and (value == bound) == (exact == Fraction(bound))


@pytest.mark.parametrize(("value", "edges", "places", "text"), [
    ("99.989969135802", ["99.99"], 4, "99.98997"),  # would round onto the edge at 4 places
    ("99.989969135802", [], 4, "99.9900"),  # nothing to contradict
    ("99.99", ["99.99"], 4, "99.9900"),  # on the edge: written on it
    ("99.99000001", ["99.99"], 4, "99.99000001"),
    ("98.99999", ["99.0", "95"], 4, "98.99999"),
    ("99.99995", ["99.99996"], 4, "99.99995"),  # half-even would carry it to 100.0000, past the edge
    ("66.6666666", ["90"], 4, "66.6667"),
    ("31.254", ["31.25"], 2, "31.254"),
    ("100", ["99.9"], 4, "100.0000"),
    ("0.0645", ["0.5"], 4, "0.0645"),
])
def test_a_figure_is_written_on_the_same_side_of_every_edge(value, edges, places, text):
    assert shown(D(value), [D(e) for e in edges], places=places) == text


def test_decimals_are_added_one_at_a_time_and_stop_at_the_first_that_does():
    assert decimals_needed(D("99.98996"), [D("99.99")]) == 5
    assert decimals_needed(D("99.9899996"), [D("99.99")]) == 7
    assert decimals_needed(D("99.98"), [D("99.99")]) == 4
    assert decimals_needed(D("99.98"), [None, D("99.99")], places=2) == 2


def test_a_figure_closer_to_an_edge_than_twelve_decimals_is_written_in_full():
    value = D("99.98999999999999")
    assert decimals_needed(value, [D("99.99")]) == 13
    assert shown(value, [D("99.99")]) == "99.98999999999999"


def test_unpadded_figures_keep_their_own_digits_when_they_have_few():
    assert shown(D("98.5"), pad=False) == "98.5" and shown(D("99.90"), pad=False) == "99.90"
    assert shown(D("1E+2"), pad=False) == "100" and shown(D(100), pad=False) == "100"
    assert shown(percent(1, 3), pad=False) == "33.3333"
    assert shown(percent(2_591_740, 2_592_000), [D("99.99")], pad=False) == "99.98997"
    assert shown(None) == "—" and shown_with_unit(None, "%") == "—"


def test_units_set_the_decimals_and_are_written_after_the_figure():
    assert places_for("%") == 4 and places_for(" % ") == 4 and places_for("ms") == 2 and places_for("h") == 2
    assert shown_with_unit(D("31.2549"), "ms", [D("31.25")]) == "31.255 ms"
    assert shown_with_unit(D("99.98997"), "%", [D("99.99")], pad=False) == "99.98997 %"
    assert shown_with_unit(D("7"), "", []) == "7.00"


def test_a_difference_keeps_its_sign_and_is_never_written_as_zero_unless_it_is():
    assert signed(D("30.33333")) == "+30.3333" and signed(D("-0.00001")) == "-0.00001"
    assert signed(D("0.00001")) == "+0.00001" and signed(D(0)) == "0.0000" and signed(None) == ""
    assert signed(D("1.5"), places=2) == "+1.50"


def test_a_table_that_does_not_know_the_edges_keeps_off_every_round_number():
    assert decimals_for_any_edge(D("99.98997")) == 5  # 99.9900 would look like the 99.99 edge
    assert decimals_for_any_edge(D("99.8843")) == 4
    assert decimals_for_any_edge(D("99.0")) == 4  # it is the round number
    assert decimals_for_any_edge(D("98.99996"), places=4) == 5


def test_rounding_is_half_even_in_the_exact_context():
    assert rounded(D("0.125"), 2) == D("0.12") and rounded(D("0.135"), 2) == D("0.14")
    assert EXACT.prec == 50
