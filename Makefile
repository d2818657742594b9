# LineDesk: make run | make test | make bench. Each one installs what it needs first.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install bytecode run test bench lint system-deps clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "LineDesk needs Python 3.11 ($(PYTHON) was not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[server,dev]'
	$(PY) -m scripts.build_translations
	touch $(STAMP)

install: $(STAMP)

# what an installed program ships: its modules compiled, so a start never compiles them
# (PYTHONDONTWRITEBYTECODE would otherwise make every start do it); only changed files
bytecode: install
	$(PY) -m compileall -q app ui server contract

run: bytecode
	$(PY) -m app $(ARGS)

system-deps:
	bash scripts/system-deps.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: system-deps install lint
	bash scripts/run-tests.sh $(ARGS)

bench: system-deps bytecode
	$(PY) -m tests.benchmarks $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
