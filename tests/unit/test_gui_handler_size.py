"""Thin GUI handlers (ARCHITECTURE.md, house style 5): a method wired to a signal, an action or a background
answer holds at most 10 lines after its docstring; its logic lives in services or small helpers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
LIMIT = 10
_WIRED = (r"connect\(\s*self\.(\w+)", r"self\._add\([^\n]*?self\.(\w+)", r"triggered\.connect\(\s*self\.\w+\.(\w+)",
          r"on_(?:done|error)=self\.(\w+)")


def long_handlers() -> list[str]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        wired = {name for pattern in _WIRED for name in re.findall(pattern, text)}
        for cls in (n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.ClassDef)):
            for fn in (f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name in wired):
                body = fn.body[1:] if isinstance(fn.body[0], ast.Expr) and isinstance(
                    getattr(fn.body[0], "value", None), ast.Constant) else fn.body
                if body and fn.end_lineno - body[0].lineno + 1 > LIMIT:
                    found.append(f"{path.relative_to(UI.parent)}:{fn.lineno} {cls.name}.{fn.name}")
    return found


def test_no_gui_handler_is_over_ten_lines():
    assert long_handlers() == []


def test_the_check_sees_a_long_handler():
    sample = "class P:\n    def __init__(self):\n        self.b.clicked.connect(self.go)\n\n    def go(self):\n" + \
        "".join(f"        x{i} = {i}\n" for i in range(LIMIT + 1))
    tree = ast.parse(sample)
    fn = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "go")
    assert fn.end_lineno - fn.body[0].lineno + 1 == LIMIT + 1 and "go" in re.findall(_WIRED[0], sample)
