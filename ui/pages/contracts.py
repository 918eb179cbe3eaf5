"""Contracts: the register table and the form of the selected contract."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from models.workspace import SqlWorkspace
from sltdesk.domain.money import CURRENCY_DIGITS, Rounding, format_money
from sltdesk.domain.register import ChargesPeriod, Contract, RenewalType, Supplier
from sltdesk.services.register import list_records
from sltdesk.services.views import ContractRowView, contract_rows, target_rows
from ui.context import local_today
from ui.forms import ChoiceEditor, DateEditor, DecimalEditor, Editor, IntEditor, TextEditor, enum_choices
from ui.pages.register_page import RegisterData, RegisterPage, by_id
from ui.table_model import RIGHT, Column
from ui.table_panel import TablePanel

_PER = {"month": "/mo", "quarter": "/qtr", "year": "/yr"}


def _charges(row: ContractRowView) -> str:
    """'GBP 48,000.00 /mo' — sorted by the amount, shown with its currency and period."""
    return f"{format_money(row.charges, row.currency)} {_PER.get(row.charges_period, row.charges_period)}"


class ContractsPage(RegisterPage):
    title = "Contracts"
    kind = Contract
    noun = "contract"

    @staticmethod
    def load(ws: SqlWorkspace) -> RegisterData:
        records = by_id(list_records(ws, Contract))
        suppliers = sorted(list_records(ws, Supplier), key=lambda s: s.name.casefold())
        return RegisterData(contract_rows(ws), records, {"suppliers": suppliers, "targets": target_rows(ws)})

    def depends_on(self, entity: str) -> bool:
        return entity in ("contract", "supplier", "contract_target")

    def columns(self) -> list[Column]:
        # The table keeps what one compares across contracts; everything else is in the form beside it.
        return [
            Column("Ref", "ref"),
            Column("Title", "title", tooltip=True),
            Column("Supplier", "supplier"),
            Column("Charges", "charges", display=_charges, align=RIGHT),
            Column("Renewal", "renewal_type"),
            Column("Ends", "end"),
            Column("Notice by", "notice_deadline"),
        ]

    def fields(self) -> list[tuple[str, str, Editor]]:
        self.charges = DecimalEditor(currency="GBP")
        self.currency = ChoiceEditor([(c, c) for c in sorted(CURRENCY_DIGITS)])
        return [
            ("ref", "&Reference", TextEditor(placeholder="e.g. NW-2025-014", max_length=40)),
            ("title", "&Title", TextEditor()),
            ("supplier_id", "&Supplier",
             ChoiceEditor(empty_message="Create the supplier first, on the Suppliers page.")),
            ("start_date", "St&art date", DateEditor()),
            ("end_date", "En&d date", DateEditor()),
            ("currency", "&Currency", self.currency),
            ("charges", "Char&ges", self.charges),
            ("charges_period", "Charged &per", ChoiceEditor(enum_choices(ChargesPeriod))),
            ("renewal_type", "Rene&wal", ChoiceEditor(enum_choices(RenewalType))),
            ("notice_days", "&Notice period", IntEditor(suffix=" days")),
            ("owner", "&Owner", TextEditor(placeholder="who manages it on our side")),
            ("rounding", "Ro&unding", ChoiceEditor(enum_choices(Rounding))),
        ]

    def details(self) -> QWidget:
        self.targets_heading = QLabel("Targets")
        self.targets_heading.setObjectName("sectionHeading")
        self.targets = TablePanel([
            Column("Target", "name", tooltip=True),
            Column("Rule", "threshold", display=lambda t: f"{t.comparison} {t.threshold:f} {t.unit}"),
            Column("Per", "measurement_period"),
        ], stretch=0)
        self.targets.filter.hide()
        self.targets.count.hide()
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(self.targets_heading)
        layout.addWidget(self.targets, 1)
        return box

    def apply_lookups(self, lookups: dict[str, Any]) -> None:
        self._all_targets = lookups.get("targets", [])
        choices = [(s.name, s.id) for s in lookups.get("suppliers", [])]
        self.form.choice("supplier_id").set_choices(choices)

    def new_values(self) -> dict[str, Any]:
        today = local_today()
        supplier = self.form.choice("supplier_id").widget.itemData(0)
        return {"ref": "", "title": "", "supplier_id": supplier, "start_date": today,
                "end_date": today + timedelta(days=365),
                "currency": "GBP", "charges": None, "charges_period": ChargesPeriod.MONTH,
                "renewal_type": RenewalType.NEVER, "notice_days": 90, "owner": "", "rounding": Rounding.HALF_UP}

    def _load_form(self, record: Any) -> None:
        self.charges.currency = record.currency  # show the charges with the contract's own decimals
        super()._load_form(record)
        self._show_targets(record.id)

    def _show_row(self, row: Any | None) -> None:
        super()._show_row(row)
        if self.before is None:
            self._show_targets(None)

    def _show_targets(self, contract_id: int | None) -> None:
        mine = [t for t in getattr(self, "_all_targets", []) if t.contract_id == contract_id]
        self.targets_heading.setText(f"Targets of this contract ({len(mine)})" if contract_id else "Targets")
        self.targets.set_rows(mine)
