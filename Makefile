# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO ?= demo.sltdesk

.PHONY: run test fuzz bench mutation lint clean demo screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-mutation: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	touch $@

$(DEMO): | $(VENV)/.installed
	$(BIN)/sltdesk demo $(DEMO) --no-gui

## make run: install, build the demo workspace if missing, open the GUI on it
run: $(VENV)/.installed $(DEMO)
	$(BIN)/sltdesk open $(DEMO)

## make test: install with test extras, lint, check the layers, type-check, run the tests
test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q

## make fuzz: the readers' fuzz tests (CSV, XLSX, ICS, the isolated import) with 40 times `make test`'s examples
fuzz: $(VENV)/.installed
	SLTDESK_FUZZ=1 $(BIN)/python -m pytest -q tests/adapters/test_fuzz_readers.py

## make bench: run the benchmarks, write benchmarks/results.json. Our modules are compiled to bytecode first, as an
## installed app's are after its first run (where PYTHONDONTWRITEBYTECODE is set, Python would compile them again
## in every process the benchmarks start, ~0.1 s of the demo's).
bench: $(VENV)/.installed
	$(BIN)/python -m compileall -q sltdesk ui models importers reports benchmarks
	$(BIN)/python -m benchmarks

## make mutation: mutation-test sltdesk/rules and sltdesk/domain against tests/unit (mutmut, 2 workers);
## merge "mutation: …" into benchmarks/results.json and rewrite benchmarks/mutation.md. Not part of `make test`.
mutation: $(VENV)/.installed-mutation
	$(BIN)/python -m benchmarks.mutation

## make screenshots: every page of the main window on the demo (with its raw data) at 1280x800, offscreen,
## to docs/screenshots/<page>.png; prints each page's rows in view and any cut-off columns
screenshots: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/ui/make_screenshots.py

demo: $(VENV)/.installed
	$(BIN)/sltdesk demo $(DEMO) --no-gui --force

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache mutants
