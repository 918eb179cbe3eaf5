"""Mutation testing of the pure core: run mutmut, score it into results.json, list the survivors.

`python -m benchmarks.mutation` (what `make mutation` runs) deletes mutants/, runs `mutmut run` with
two workers over sltdesk/rules and sltdesk/domain against the tests that [tool.mutmut] in
pyproject.toml names, then reports; `--report` only reports, from the mutants/ a run left.

The score of a package is killed / (all mutants − excluded equivalents). A timeout counts as killed
(the tests never passed); a mutant no test reaches counts as survived, like one the tests run and
miss. Equivalent mutants, and notes on survivors kept on purpose, are written by hand in
mutation_equivalents.toml; each is matched by its function and its changed line rather than its
number, which shifts whenever the function changes.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks import merge_results

HERE = Path(__file__).parent
ROOT = HERE.parent
MUTANTS = ROOT / "mutants"
NOTES = HERE / "mutation_equivalents.toml"
REPORT = HERE / "mutation.md"
WORKERS = 2
PACKAGES = {"rules": ("sltdesk/rules", 85.0), "domain": ("sltdesk/domain", None)}  # folder, bound (%)
RUN_BOUND_MIN = 30.0

# The exit codes mutmut 3.8 stores per mutant in mutants/<file>.meta (its mutmut/stats.py), grouped
# the way the score counts them; any other code (suspicious, segfault, interrupted) is "other".
STATUS = {1: "killed", 3: "killed", 37: "killed", 36: "timeout", -24: "timeout", 24: "timeout",
          152: "timeout", 255: "timeout", 0: "survived", 5: "no tests", 33: "no tests", None: "not checked"}
COLUMNS = ("killed", "timeout", "survived", "no tests", "other")
DETECTED = ("killed", "timeout")
DEF = re.compile(r"(\s*(?:async\s+)?def )(x[_ǁ]\S+?)__mutmut_\w+(?=\()")  # the name mutmut gives a copy


@dataclass(frozen=True)
class Mutant:
    name: str      # sltdesk.rules.scoring.x_maturity_level__mutmut_7
    module: str    # sltdesk/rules/scoring.py
    function: str  # sltdesk.rules.scoring.x_maturity_level
    status: str
    line: int | None  # in the source as it is now, when the function can still be found there
    before: str    # the changed source line(s), stripped, joined with " / "
    after: str


def run_mutmut() -> float:
    """A fresh run (earlier verdicts are not reused: a changed test does not invalidate them); minutes."""
    shutil.rmtree(MUTANTS, ignore_errors=True)
    mutmut = Path(sys.executable).parent / "mutmut"
    # SLTDESK_MUTATION: the hook for the tests to take a smaller Hypothesis budget (mutation.md); and
    # SQLite only: the PostgreSQL runs would double the storage tests for no mutant of the core.
    env = {k: v for k, v in os.environ.items() if k != "SLTDESK_TEST_DATABASE_URL"} | {"SLTDESK_MUTATION": "1"}
    started = time.perf_counter()
    done = subprocess.run([str(mutmut), "run", "--max-children", str(WORKERS)], cwd=ROOT, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"mutmut run failed (exit {done.returncode}); its output is above")
    return (time.perf_counter() - started) / 60


def read_mutants() -> list[Mutant]:
    """Every mutant of the packages scored, with its verdict and changed line."""
    mutants = []
    for folder, _ in PACKAGES.values():
        for meta in sorted((MUTANTS / folder).rglob("*.py.meta")):
            module = meta.relative_to(MUTANTS).as_posix().removesuffix(".meta")
            codes = json.loads(meta.read_text())["exit_code_by_key"]
            diffs = changed_lines(module, list(codes))
            for name, code in codes.items():
                function = name.partition("__mutmut_")[0]
                line, before, after = diffs.get(name, (None, "?", "?"))
                mutants.append(Mutant(name, module, function, STATUS.get(code, "other"), line, before, after))
    return mutants


def changed_lines(module: str, names: list[str]) -> dict[str, tuple[int | None, str, str]]:
    """name → (line, before, after), read from the mutated file through mutmut's line index."""
    lines = (MUTANTS / module).read_text().split("\n")  # as mutmut counts them (not splitlines)
    spans = json.loads((MUTANTS / f"{module}.spans").read_text())["spans"]
    source = (ROOT / module).read_text().split("\n") if (ROOT / module).exists() else []
    result = {}
    for name in names:
        key = name.rpartition(".")[2]
        mangled = key.partition("__mutmut_")[0]
        if key not in spans or f"{mangled}__mutmut_orig" not in spans:
            continue
        original = _span(lines, spans[f"{mangled}__mutmut_orig"])
        mutated = _span(lines, spans[key])
        removed, added, offset = [], [], None
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, original, mutated, autojunk=False).get_opcodes():
            if op != "equal":
                offset = i1 if offset is None else offset
                removed += original[i1:i2]
                added += mutated[j1:j2]
        start = _find_function(source, original)
        line = None if start is None or offset is None else start + offset + 1
        result[name] = (line, " / ".join(s.strip() for s in removed), " / ".join(s.strip() for s in added))
    return result


def _span(lines: list[str], span: list[int]) -> list[str]:
    """The function's lines from its `def`, under the name it has in the source."""
    body = lines[span[0] - 1:span[1]]
    start = next((i for i, text in enumerate(body) if DEF.match(text)), 0)  # spans include blank lines before
    body = body[start:]
    return [DEF.sub(lambda m: m[1] + re.split("_|ǁ", m[2], maxsplit=1)[1].rpartition("ǁ")[2], body[0], count=1),
            *body[1:]] if body else body


def _find_function(source: list[str], body: list[str]) -> int | None:
    """Index of the first body line of the function in the current source, if it is still there."""
    if not body:
        return None
    for i, text in enumerate(source):
        if text == body[0] and source[i:i + len(body)] == body:
            return i
    return None


def read_notes() -> dict[str, list[dict]]:
    """The hand-written entries: `equivalent` (excluded from the score) and `survivor` (kept, explained)."""
    if not NOTES.exists():
        return {"equivalent": [], "survivor": [], "kind": []}
    data = tomllib.loads(NOTES.read_text())
    return {kind: data.get(kind, []) for kind in ("equivalent", "survivor", "kind")}


GAP = "a gap: the tests run this line, and none checks this change"


def kind_reason(kinds: list[dict], mutant: Mutant) -> str:
    """The reason of the first [[kind]] whose patterns match the changed lines; else: a gap in the tests."""
    for kind in kinds:
        if re.search(kind["before"], mutant.before) and re.search(kind["after"], mutant.after):
            return kind["reason"]
    return GAP


def _matches(note: dict, mutant: Mutant) -> bool:
    """Same function, and the note's before/after are in the changed lines (a cut "…" excerpt will do)."""
    def within(part: str, whole: str) -> bool:
        return " ".join(part.strip("…").split()) in " ".join(whole.split())

    return note["function"] == mutant.function and within(note["before"], mutant.before) and within(
        note["after"], mutant.after)


def attach(notes: list[dict], mutants: list[Mutant]) -> tuple[dict[str, dict], list[dict]]:
    """mutant name → its note, and the notes that match no mutant any more."""
    found, stale = {}, []
    for note in notes:
        hits = [m for m in mutants if _matches(note, m)]
        for m in hits:
            found[m.name] = note
        if not hits:
            stale.append(note)
    return found, stale


def excluded_names(equivalents: dict[str, dict], mutants: list[Mutant]) -> set[str]:
    """The equivalents left out of the score: those the tests did not kill (a killed one is no equivalent)."""
    detected = {m.name for m in mutants if m.status in DETECTED}
    return {name for name in equivalents if name not in detected}


def tally(mutants: list[Mutant], excluded: set[str]) -> dict:
    counts = Counter(m.status if m.status in COLUMNS else "other" for m in mutants if m.name not in excluded)
    scored = sum(counts.values())
    killed = counts["killed"] + counts["timeout"]
    return {"mutants": len(mutants), "equivalent": len(mutants) - scored, **{c: counts[c] for c in COLUMNS},
            "percent": 100.0 * killed / scored if scored else 100.0}


def figures(mutants: list[Mutant], excluded: set[str], minutes: float | None) -> list[dict]:
    results = []
    for package, (folder, bound) in PACKAGES.items():
        value = round(tally([m for m in mutants if m.module.startswith(folder)], excluded)["percent"], 2)
        ok = True if bound is None else value >= bound
        results.append({"name": f"mutation: {package} killed", "value": value, "unit": "%", "bound": bound, "ok": ok})
    if minutes is not None:
        results.append({"name": "mutation: run time", "value": round(minutes, 1), "unit": "min",
                        "bound": RUN_BOUND_MIN, "ok": minutes <= RUN_BOUND_MIN})
    return results


def write_report(mutants: list[Mutant], notes: dict[str, list[dict]], minutes: float | None) -> None:
    """Regenerate mutation.md: the table, the notes and every survivor; `minutes` is the last full run."""
    equivalents, stale_equivalents = attach(notes["equivalent"], mutants)
    explained, stale_survivors = attach(notes["survivor"], mutants)
    excluded = excluded_names(equivalents, mutants)
    by_module = defaultdict(list)
    for m in mutants:
        by_module[m.module].append(m)

    out = [
        "# Mutation testing",
        "",
        "Written by `make mutation` (`python -m benchmarks.mutation`); do not edit by hand except the notes in",
        "`benchmarks/mutation_equivalents.toml`. mutmut 3 mutates every function of `sltdesk/rules/` and",
        "`sltdesk/domain/` and runs, for each mutant, the tests that reach the function (`[tool.mutmut]` in",
        "`pyproject.toml`: `tests/unit`), two at a time.",
        "",
        "Score = (killed + timeout) / (mutants − excluded equivalents). A timeout counts as killed: the tests",
        "did not pass. A mutant no test reaches (\"no tests\") counts as survived, like one the tests run and",
        "miss. \"other\" (suspicious, segfault, interrupted) counts as survived too.",
        "",
    ]
    if minutes is not None:
        out += [f"Last full run: {minutes:.1f} min with {WORKERS} workers.", ""]
    out += ["| package / module | mutants | equivalent | killed | timeout | survived | no tests | other | killed % |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for folder, bound in PACKAGES.values():
        row = tally([m for m in mutants if m.module.startswith(folder)], excluded)
        out.append(_row(f"**{folder}/**" + ("" if bound is None else f" (bound ≥ {bound:g} %)"), row, bold=True))
        for module in sorted(k for k in by_module if k.startswith(folder)):
            out.append(_row(module.removeprefix(folder + "/"), tally(by_module[module], excluded)))
    out += ["", "## Excluded equivalent mutants", "",
            "Hand-written in `benchmarks/mutation_equivalents.toml` (`[[equivalent]]`): no test can tell these",
            "from the original, so they are left out of the score.", ""]
    out += _notes(equivalents, mutants, "none yet")
    for name, note in equivalents.items():
        if name not in excluded:
            out.append(f"- **not equivalent after all: `{name}` was killed**; remove it ({note['reason']})")
    out += _stale(stale_equivalents + stale_survivors)
    out += _timeouts(mutants)
    out += ["", "## Surviving mutants", "",
            "Per module: the mutant (its function and number), the line in today's source, the change. A",
            "function no test reaches is listed once with its mutant numbers. Reasons written by hand",
            "(`[[survivor]]` in the notes file) follow the change.", ""]
    kinds = Counter(kind_reason(notes["kind"], m) if m.name not in explained else "a hand-written reason"
                    for m in mutants if m.status not in DETECTED and m.name not in excluded and m.status != "no tests")
    out += ["Every survivor with its reason, counted by reason (the [[kind]] patterns of the notes file):", ""]
    out += [f"- {count} × {reason}" for reason, count in kinds.most_common()] + [""]
    for module in sorted(by_module):
        out += _survivors(module, by_module[module], excluded, explained, notes["kind"])
    REPORT.write_text("\n".join(out).rstrip() + "\n")


def _row(label: str, t: dict, *, bold: bool = False) -> str:
    cells = [t["mutants"], t["equivalent"], *(t[c] for c in COLUMNS)]
    percent = f"**{t['percent']:.1f}**" if bold else f"{t['percent']:.1f}"
    return f"| {label} | " + " | ".join(str(c) for c in cells) + f" | {percent} |"


def _notes(found: dict[str, dict], mutants: list[Mutant], empty: str) -> list[str]:
    if not found:
        return [f"({empty})"]
    by_name = {m.name: m for m in mutants}
    return [f"- `{name}` (line {by_name[name].line or '?'}): `{by_name[name].before}` → `{by_name[name].after}` — "
            f"{note['reason']}" for name, note in sorted(found.items())]


def _stale(notes: list[dict]) -> list[str]:
    if not notes:
        return []
    return ["", "Notes that match no mutant any more (the code changed; update or delete them):", ""] + [
        f"- `{n['function']}`: `{n['before']}` → `{n['after']}`" for n in notes]


def _timeouts(mutants: list[Mutant]) -> list[str]:
    """Timeouts count as killed; listed, because a worker forked mid-way through a thread pool can hang too."""
    slow = [m for m in mutants if m.status == "timeout"]
    if not slow:
        return []
    out = ["", "## Timeouts (counted as killed)", "",
           "A mutant that loops for ever is caught; but a worker can also hang on a thread pool it inherited",
           "with the fork (zstandard's, in sample_blocks), so check these with `mutmut run NAME` after a change.", ""]
    for m in slow:
        before, after = _short(m.before, m.after)
        out.append(f"- `{m.name}` L{m.line or '?'}: `{before}` → `{after}`")
    return out


def _survivors(module: str, mutants: list[Mutant], excluded: set[str], explained: dict[str, dict],
               kinds: list[dict]) -> list[str]:
    left = [m for m in mutants if m.status not in DETECTED and m.name not in excluded]
    if not left:
        return []
    out = [f"### {module} — {len(left)}", ""]
    unreached = defaultdict(list)
    for m in left:
        if m.status == "no tests":
            unreached[m.function].append(int(m.name.rpartition("__mutmut_")[2]))
    for function, numbers in sorted(unreached.items()):
        out.append(f"- `{function.rpartition('.')[2]}` — no test of tests/unit reaches it (the adapters' tests "
                   f"may): mutants {_ranges(numbers)}")
    for m in sorted((m for m in left if m.status != "no tests"), key=lambda m: (m.line or 0, m.name)):
        reason = explained[m.name]["reason"] if m.name in explained else (
            kind_reason(kinds, m) if m.status == "survived" else m.status)
        before, after = _short(m.before, m.after)
        out.append(f"- `{m.name.rpartition('.')[2]}` L{m.line or '?'}: `{before}` → `{after}` — {reason}")
    return out + [""]


def _short(before: str, after: str, width: int = 80) -> tuple[str, str]:
    """Both sides cut to about `width` characters around where they start to differ."""
    same = len(os.path.commonprefix([before, after]))
    start = max(0, same - width // 3) if max(len(before), len(after)) > width else 0

    def cut(text: str) -> str:
        piece = ("…" if start else "") + text[start:start + width] + ("…" if len(text) > start + width else "")
        return piece.replace("`", "'")

    return cut(before), cut(after)


def _ranges(numbers: list[int]) -> str:
    numbers, parts, start = sorted(numbers), [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(n) if start == n else f"{start}–{n}")
            start = None
    return ", ".join(parts)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mutation", description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="only report, from the mutants/ of the last run")
    args = parser.parse_args(argv)
    minutes = None if args.report else run_mutmut()
    if not MUTANTS.exists():
        print("no mutants/ folder: run `make mutation` first", file=sys.stderr)
        return 2
    mutants = read_mutants()
    unchecked = sum(m.status == "not checked" for m in mutants)
    if unchecked:
        print(f"{unchecked} mutants were not checked (an interrupted run?): nothing written", file=sys.stderr)
        return 2
    notes = read_notes()
    excluded = excluded_names(attach(notes["equivalent"], mutants)[0], mutants)
    results = figures(mutants, excluded, minutes)
    merged = merge_results(results)
    run_time = next((r["value"] for r in merged if r["name"] == "mutation: run time"), None)
    write_report(mutants, notes, run_time)
    for r in results:
        bound = "" if r["bound"] is None else f"(bound {r['bound']:g} {r['unit']})"
        print(f"{r['name']}: {r['value']:g} {r['unit']} {bound} {'ok' if r['ok'] else 'NO'}")
    print(f"written {REPORT.relative_to(ROOT)} and benchmarks/results.json")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
