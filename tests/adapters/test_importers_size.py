"""Every function in importers/ is at most 40 lines long (from `def` to its last line, nested functions counted
inside their parent) and takes at most five positional parameters besides `self`/`cls` — the rule ruff's PLR0913
checks there too (pyproject.toml)."""

from __future__ import annotations

import ast
from pathlib import Path

IMPORTERS = Path(__file__).resolve().parents[2] / "importers"
MOST_LINES = 40
MOST_POSITIONAL = 5


def functions() -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    """(file:line name, the function, whether it is a method) for every function of every module."""
    found = []
    for path in sorted(IMPORTERS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        methods = {id(item) for node in ast.walk(tree) if isinstance(node, ast.ClassDef) for item in node.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append((f"{path.name}:{node.lineno} {node.name}", node, id(node) in methods))
    return found


def positional(node: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> int:
    names = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)
    return len(names) - (1 if method and not static and names and names[0] in ("self", "cls") else 0)


def test_the_walk_sees_the_pipeline_and_its_stages():
    names = {where.split(" ")[1] for where, _node, _method in functions()}
    assert {"parse_sheet", "convert", "check_rows", "_type_check", "accepts", "parse_ics"} <= names


def test_no_function_in_importers_is_over_40_lines():
    long = {where: node.end_lineno - node.lineno + 1 for where, node, _method in functions()
            if node.end_lineno - node.lineno + 1 > MOST_LINES}
    assert long == {}


def test_no_function_in_importers_takes_more_than_5_positional_parameters():
    many = {where: positional(node, method) for where, node, method in functions()
            if positional(node, method) > MOST_POSITIONAL}
    assert many == {}


def test_the_count_is_the_one_described():
    tree = ast.parse("class A:\n    def m(self, a, b, /, c, *, d):\n        pass\n\ndef f(a, b=1, *args, c):\n"
                     "    x = 1\n    return x\n")
    method = tree.body[0].body[0]
    function = tree.body[1]
    assert positional(method, True) == 3  # a, b, c: self is not counted, nor the keyword-only d
    assert positional(function, False) == 2  # *args and the keyword-only c are not counted
    assert function.end_lineno - function.lineno + 1 == 3
