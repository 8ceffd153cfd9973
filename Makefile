# Two commands for a fresh machine with Python 3.11+ and make:
#   make lab    create .venv if missing, install, open JupyterLab on the notebooks
#   make test   create .venv if missing, install, run the whole suite (notebooks included)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg
NOTEBOOKS := $(shell find notebooks -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort)
# JupyterLab refuses to start as root (containers, workshop machines) unless told.
LAB_ROOT  := $(if $(filter 0,$(shell id -u)),--allow-root)
# Extra JupyterLab options, e.g. make lab LAB_ARGS="--port=8890 --no-browser".
LAB_ARGS  ?=

.PHONY: install lab test test-fast notebooks bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# No "Would you like to get notified about official Jupyter news?" pop-up and no update check:
# the first thing a new user sees is the start-here notebook (the browser tests' settings, as options).
LAB_QUIET = --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_ROOT) $(LAB_QUIET) $(LAB_ARGS) notebooks/00_start_here.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest tests notebooks $(NBVAL)

# Python tests only (no notebooks, no browser): the quick loop while coding.
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/browser -x -q

# Re-execute every notebook in place and strip widget state, so that stored
# outputs are regenerated, never hand-edited.
notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)

# Each benchmark prints its table (ratios to references measured in the same run).
BENCHMARKS := $(sort $(wildcard benchmarks/bench_*.py))
bench: $(STAMP)
	@for b in $(BENCHMARKS); do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
