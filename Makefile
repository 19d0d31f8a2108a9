# Two commands for a fresh machine:  make run  (build seeds/ into exports/)  and  make test.
# Both create .venv once and reuse it; the install re-runs only when pyproject.toml changes.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg
STAMP  := $(VENV)/.installed

.PHONY: setup run test bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

run: setup
	$(KG) build seeds -o exports
	$(KG) analyze exports

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
