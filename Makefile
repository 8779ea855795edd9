# Two entry points (see README "Quick start"):
#   make demo   set up, ingest the bundled sample corpus into fangzhi.db and serve it on http://127.0.0.1:8000
#   make test   set up and run every test (ruff, pytest)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= fangzhi.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test lint clean

$(BIN)/fangzhi: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres,distributed]'
	touch $(BIN)/fangzhi

setup: $(BIN)/fangzhi

demo: setup
	$(BIN)/fangzhi ingest sample/*.txt --db $(DB)
	$(BIN)/fangzhi stats --db $(DB)
	$(BIN)/fangzhi serve --db $(DB) --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

test: setup lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
