VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: install
	$(VENV)/bin/automl-codegen demo

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check jupyter_automl_codegen tests benchmarks
	$(VENV)/bin/ruff format --check jupyter_automl_codegen tests benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info
