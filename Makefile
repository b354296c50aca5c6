# chainrule: `make demo` runs the main job, `make test` runs every test.
# Both set everything up on a fresh Debian/Ubuntu machine with Python 3.10+:
# a virtualenv in .venv with the project installed, and Graphviz's `dot`
# (plus Chromium for the tests) from apt when missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_OUT ?= build/demo

SITE_OUT ?= build/site
# The suite runs on every core (at most 4), a module's expensive fixture kept on one worker
# (tests mark such modules with xdist_group); PYTEST_WORKERS= runs it in one process.
PYTEST_WORKERS ?= -n auto --maxprocesses 4 --dist loadgroup

.PHONY: demo test lint bench mutate notebooks docs dist site system-graphviz system-chromium clean

demo: $(VENV)/.installed-base system-graphviz
	$(BIN)/chainrule backprop --output-dir $(DEMO_OUT)

test: $(VENV)/.installed-test system-graphviz system-chromium site
	$(BIN)/ruff check .
	$(BIN)/mypy autograd
	$(BIN)/mypy --follow-imports=silent nn chainrule
	$(BIN)/python -m pytest $(PYTEST_WORKERS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed-bench
	$(BIN)/python -m tests.benchmarks

# Mutation testing (slow, not in CI): `make mutate`, or some modules only with
# `make mutate MUTANTS='autograd.value* autograd.graph*'`. Survivors: mutmut results.
MUTANTS ?=
mutate: $(VENV)/.installed-test $(VENV)/.installed-mutate system-graphviz system-chromium
	nice $(BIN)/mutmut run $(MUTANTS)
	$(BIN)/mutmut results

# JupyterLab refuses to start as root unless told; root is common in containers and CI.
notebooks: $(VENV)/.installed-notebooks system-graphviz
	$(BIN)/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) notebooks/

# The sdist and the wheel, as `pip install` takes them (tests/test_wheel.py installs one).
dist: $(VENV)/.installed-test
	$(BIN)/python -m build --outdir dist .

# The lessons (each notebook run and rendered) and the API reference, in build/site/.
docs: $(VENV)/.installed-docs system-graphviz
	$(BIN)/python docs/build.py --output build/site

# The static site: Pyodide and viz-js from npm (pinned in package-lock.json), the wheel
# of this checkout, the notebooks executed, the API reference. Serve it with
# python3 -m http.server -d build/site
site: $(VENV)/.installed-site node_modules/.installed system-graphviz
	$(BIN)/python site/build.py $(SITE_OUT)

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing npm (for the site's Pyodide and viz-js)"; $(call apt_install,npm); }
	npm ci --no-audit --no-fund
	@touch $@

clean:
	rm -rf $(VENV) build dist node_modules .pytest_cache .hypothesis mutants

# --- the virtualenv ----------------------------------------------------------
# The PyPI package `autograd` shares our import name: the project lives in its
# own virtualenv so the two never meet.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
	  { echo "chainrule needs Python 3.10 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  echo "python3 -m venv is missing; installing Debian's python3-venv"; \
	  $(call apt_install,python3-venv) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

# torch first as .ci/run takes it: 2.13.0 is a CPU wheel on this machine's local index
# (a bare `pip install torch` could pull a multi-GB CUDA build); elsewhere the extra's torch.
$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'torch==2.13.0' || \
	  echo "torch==2.13.0 is not on this index: installing the bench extra's torch"
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@touch $@

$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[$*]'
	@touch $@

# --- system programs ---------------------------------------------------------
# apt_install: install Debian packages as root, or with sudo when it needs no
# password; otherwise say what to run and stop.
define apt_install
if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
else echo "Please install $(1) (e.g. sudo apt-get install $(1)) and run make again."; exit 1; fi; \
$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(1) >/dev/null
endef

system-graphviz:
	@command -v dot >/dev/null || { echo "Installing Graphviz (dot)"; $(call apt_install,graphviz); }

system-chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
	  { echo "Installing Chromium (for the HTML step-through test)"; $(call apt_install,chromium); }
