"""From a Dashboard row or heat-map cell to the page and record behind it."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from sltdesk.rules.attention import AttentionItem, Place
from sltdesk.services.search import SearchHit
from ui.pages.base import Page

if TYPE_CHECKING:
    from ui.main_window import MainWindow

P = TypeVar("P", bound=Page)


def page_of(window: MainWindow, kind: type[P]) -> P | None:
    """Show the window's page of this kind and return it; None when the user chose to stay where they were."""
    page = window.page_of(kind)
    return page if window.show_page(window.index_of(page)) else None  # None: the user stayed (unsaved typing)


def open_item(window: MainWindow, item: AttentionItem) -> None:
    """Open the page a row of the attention list names, on its record."""
    from ui.pages.reconciliation import ReconciliationPage
    from ui.pages.reviews import ReviewsPage
    from ui.pages.supplier_people import ContingencyPlansPage
    if item.place is Place.CONTRACTS and item.record_id:
        window.show_contract(item.record_id)
    elif item.place is Place.VERIFICATION and item.contract_id:
        open_cell(window, item.contract_id, item.target_id or 0, item.period)
    elif item.place is Place.RECONCILIATION:
        if page := page_of(window, ReconciliationPage):
            page.open_period(item.contract, item.period)
    elif item.place is Place.REVIEWS and item.record_id:
        if reviews := page_of(window, ReviewsPage):
            reviews.open_action(item.record_id, item.supplier)
    elif item.place is Place.CONTINGENCY and item.record_id:
        if plans := page_of(window, ContingencyPlansPage):
            plans.select_record(item.record_id)


def open_cell(window: MainWindow, contract_id: int, target_id: int, period: str) -> None:
    """The Verification page on a contract's grid, the target's cell of that month current."""
    from ui.pages.verification import VerificationPage

    if page := page_of(window, VerificationPage):
        page.open_cell(contract_id, target_id or None, period)


def open_search_hit(window: MainWindow, hit: SearchHit) -> None:
    """A search result on its page: a review itself; an action on its supplier's backlog."""
    from ui.pages.reviews import ReviewsPage
    from ui.pages.suppliers import SuppliersPage
    from ui.pages.targets import TargetsPage

    if hit.kind == "contract":
        window.show_contract(hit.record_id)
    elif hit.kind == "review":
        if page := page_of(window, ReviewsPage):
            page.select_review(hit.record_id)
    elif hit.kind == "action":
        if page := page_of(window, ReviewsPage):
            page.open_action(hit.record_id, hit.supplier)
    else:
        if register := page_of(window, SuppliersPage if hit.kind == "supplier" else TargetsPage):
            register.select_record(hit.record_id)
