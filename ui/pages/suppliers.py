"""Suppliers: the register table and the form of the selected supplier."""

from __future__ import annotations

from typing import Any

from models.workspace import SqlWorkspace
from sltdesk.domain.register import Criticality, Supplier, SupplierCategory
from sltdesk.services.register import list_records
from sltdesk.services.views import supplier_rows
from ui.forms import ChoiceEditor, Editor, NotesEditor, TextEditor, enum_choices
from ui.pages.register_page import RegisterData, RegisterPage, by_id
from ui.table_model import LEFT, Column

_CRITICALITY_ORDER = {c.value: i for i, c in enumerate(Criticality)}


class SuppliersPage(RegisterPage):
    title = "Suppliers"
    kind = Supplier
    noun = "supplier"
    stretch = 4  # notes

    @staticmethod
    def load(ws: SqlWorkspace) -> RegisterData:
        records = by_id(list_records(ws, Supplier))
        return RegisterData(supplier_rows(ws), records)

    def depends_on(self, entity: str) -> bool:
        return entity in ("supplier", "contract")

    def columns(self) -> list[Column]:
        return [
            Column("Name", "name"),
            Column("Category", "category"),
            Column("Criticality", lambda r: _CRITICALITY_ORDER.get(r.criticality, 9),
                   display=lambda r: r.criticality, align=LEFT),
            Column("Contracts", "contracts"),
            Column("Notes", "notes", tooltip=True),
        ]

    def fields(self) -> list[tuple[str, str, Editor]]:
        return [
            ("name", "&Name", TextEditor(placeholder="e.g. Northwind Networks")),
            ("category", "&Category", ChoiceEditor(enum_choices(SupplierCategory))),
            ("criticality", "C&riticality", ChoiceEditor(enum_choices(Criticality))),
            ("notes", "N&otes", NotesEditor()),
        ]

    def new_values(self) -> dict[str, Any]:
        return {"name": "", "category": SupplierCategory.OTHER, "criticality": Criticality.MEDIUM, "notes": ""}
