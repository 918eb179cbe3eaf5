"""Contacts and contingency plans: the people at each supplier, and what to do when a supplier fails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from models.workspace import SqlWorkspace
from sltdesk.domain.register import ContingencyPlan, Supplier, SupplierContact
from sltdesk.services.register import list_records
from ui.forms import ChoiceEditor, DateEditor, Editor, IntEditor, NotesEditor, TextEditor
from ui.pages.register_page import RegisterData, RegisterPage, by_id
from ui.table_model import Column


@dataclass(frozen=True)
class ContactRow:
    id: int
    supplier: str
    name: str
    role: str
    email: str
    phone: str


@dataclass(frozen=True)
class PlanRow:
    id: int
    supplier: str
    title: str
    owner: str
    last_tested: str
    due: str  # "overdue" when the last test is older than the interval


def _suppliers(ws: SqlWorkspace) -> dict[int, str]:
    return {sid: s.name for sid, s in by_id(list_records(ws, Supplier)).items()}


class _SupplierOwned(RegisterPage):
    def depends_on(self, entity: str) -> bool:
        return entity in ("supplier", self.entity)

    entity = ""

    def apply_lookups(self, lookups: dict[str, Any]) -> None:
        names = sorted(lookups.get("suppliers", {}).items(), key=lambda item: item[1].casefold())
        self.form.choice("supplier_id").set_choices([(name, sid) for sid, name in names])

    def _first_supplier(self) -> int | None:
        return self.form.choice("supplier_id").widget.itemData(0)


class ContactsPage(_SupplierOwned):
    title = "Contacts"
    kind = SupplierContact
    noun = "contact"
    entity = "supplier_contact"
    stretch = 2

    @staticmethod
    def load(ws: SqlWorkspace) -> RegisterData:
        names = _suppliers(ws)
        records = by_id(list_records(ws, SupplierContact))
        rows = [ContactRow(cid, names.get(c.supplier_id, ""), c.name, c.role, c.email, c.phone)
                for cid, c in records.items()]
        return RegisterData(sorted(rows, key=lambda r: (r.supplier.casefold(), r.name.casefold())), records,
                            {"suppliers": names})

    def columns(self) -> list[Column]:
        return [Column("Supplier", "supplier"), Column("Name", "name"), Column("Role", "role"),
                Column("Email", "email"), Column("Phone", "phone")]

    def fields(self) -> list[tuple[str, str, Editor]]:
        return [
            ("supplier_id", "&Supplier", ChoiceEditor(empty_message="Create the supplier first, on the Suppliers "
                                                                    "page.")),
            ("name", "&Name", TextEditor(placeholder="e.g. Dana Scully")),
            ("role", "&Role", TextEditor(placeholder="e.g. Service delivery manager")),
            ("email", "&Email", TextEditor(placeholder="name@supplier.example")),
            ("phone", "&Phone", TextEditor(placeholder="+44 20 7946 0000", max_length=60)),
        ]

    def new_values(self) -> dict[str, Any]:
        return {"supplier_id": self._first_supplier(), "name": "", "role": "", "email": "", "phone": ""}


class ContingencyPlansPage(_SupplierOwned):
    title = "Contingency plans"
    kind = ContingencyPlan
    noun = "contingency plan"
    entity = "contingency_plan"
    stretch = 2

    @staticmethod
    def load(ws: SqlWorkspace) -> RegisterData:
        names = _suppliers(ws)
        records = by_id(list_records(ws, ContingencyPlan))
        today = ws.now().date()
        rows = [PlanRow(pid, names.get(p.supplier_id, ""), p.title, p.owner,
                        p.last_tested.isoformat() if p.last_tested else "never",
                        _due(p, today)) for pid, p in records.items()]
        return RegisterData(sorted(rows, key=lambda r: (r.supplier.casefold(), r.title.casefold())), records,
                            {"suppliers": names})

    def columns(self) -> list[Column]:
        return [Column("Supplier", "supplier"), Column("Plan", "title", tooltip=True), Column("Owner", "owner"),
                Column("Last tested", "last_tested"), Column("Next test", "due")]

    def fields(self) -> list[tuple[str, str, Editor]]:
        return [
            ("supplier_id", "&Supplier", ChoiceEditor(empty_message="Create the supplier first, on the Suppliers "
                                                                    "page.")),
            ("title", "&Title", TextEditor(placeholder="e.g. WAN outage longer than 2 hours")),
            ("trigger", "T&rigger", NotesEditor(lines=2)),
            ("failover_procedure", "&Failover procedure", NotesEditor(lines=3)),
            ("manual_workaround", "&Manual workaround", NotesEditor(lines=3)),
            ("owner", "&Owner", TextEditor()),
            ("last_tested", "&Last tested", DateEditor(optional=True)),
            ("test_interval_days", "Test &every", IntEditor(minimum=1, maximum=3650, suffix=" days")),
        ]

    def new_values(self) -> dict[str, Any]:
        return {"supplier_id": self._first_supplier(), "title": "", "trigger": "", "failover_procedure": "",
                "manual_workaround": "", "owner": "", "last_tested": None, "test_interval_days": 365}


def _due(plan: ContingencyPlan, today: date) -> str:
    if plan.last_tested is None:
        return "now (never tested)"
    from datetime import timedelta

    due = plan.last_tested + timedelta(days=plan.test_interval_days)
    return f"{due.isoformat()} (overdue)" if due < today else due.isoformat()
