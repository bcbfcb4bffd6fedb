# mlflow-upgrade: see README.md. `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
ENVS := .envs
MLFLOW2_VERSION := 2.22.5
MLFLOW3_VERSION := 3.17.2
ENV_PACKAGES := scikit-learn pandas numpy matplotlib
# MLflow 2.22's span processor breaks with newer OpenTelemetry SDKs (no `_shutdown`).
MLFLOW2_OTEL := opentelemetry-sdk==1.33.1 opentelemetry-api==1.33.1

# Extra test steps contributed by mk/*.mk (editors, VS Code, ...).
TEST_TARGETS :=

.PHONY: install envs lint format test test-python demo bench vsix docs clean

install: $(VENV)/.installed

# Bytecode is compiled at install time, as pip does for users: uv does not by default, and
# where PYTHONDONTWRITEBYTECODE is set every process would compile lsprotocol, MLflow, ...
# from source again (half a second of the language server's start-up).
UV_INSTALL := $(UV) pip install -q --compile-bytecode

$(VENV)/.installed: pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(UV_INSTALL) --python $(BIN)/python -e '.[dev]'
	$(BIN)/python -m compileall -q server
	touch $@

# Two real MLflow installations that jedi resolves and migration tests execute.
envs: $(ENVS)/mlflow2/.installed $(ENVS)/mlflow3/.installed

$(ENVS)/mlflow2/.installed: Makefile | install
	$(UV) venv -q --allow-existing $(ENVS)/mlflow2 --python $(PYTHON)
	$(UV_INSTALL) --python $(ENVS)/mlflow2/bin/python mlflow-skinny==$(MLFLOW2_VERSION) $(ENV_PACKAGES) $(MLFLOW2_OTEL)
	touch $@

$(ENVS)/mlflow3/.installed: Makefile | install
	$(UV) venv -q --allow-existing $(ENVS)/mlflow3 --python $(PYTHON)
	$(UV_INSTALL) --python $(ENVS)/mlflow3/bin/python mlflow-skinny==$(MLFLOW3_VERSION) $(ENV_PACKAGES) skops
	touch $@

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

docs: install
	$(BIN)/python -m mlflow_upgrade.docs_gen

test-python: install envs
	$(BIN)/python -m pytest -q -p no:cacheprovider

include $(wildcard mk/*.mk)

test: lint test-python $(TEST_TARGETS)

demo: install
	-$(BIN)/mlflow-upgrade check examples/
	$(BIN)/mlflow-upgrade fix --diff --unsafe-fixes examples/ || true

bench: install envs
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(ENVS) .pytest_cache .ruff_cache
