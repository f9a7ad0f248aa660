# The course's entry points. Each target sets up what it needs (virtual environment,
# packages, Chromium for the browser tests) on a fresh machine with Python 3.11.
#
#   make book     build the website into _build/html (executes every notebook, cached) and
#                 print the chapters' handouts into _build/html/handouts (needs Chromium)
#   make test     run the whole test suite (builds the site itself, forced execution)
#   make serve    preview the built website on http://127.0.0.1:8000
#   make lab      open the notebooks in JupyterLab (PORT=8888, LAB_ARGS="--no-browser")
#   make bench    print build times and page sizes (see README, "Development")
#   make exercises  rebuild the student notebooks and autograders from the masters

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# Two installs into the one environment, each with its own stamp: the runtime lock
# (requirements.txt: what `make lab` needs) and the development lock (requirements-dev.txt:
# also the website build and the tests), so that `make lab` on a fresh clone installs no test
# or build tools. Both install the course package in editable mode.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
# Extra flags for `make lab`, e.g. LAB_ARGS="--no-browser".
LAB_ARGS ?=
# The lock tool `make lock` installs (from the package index) into a scratch environment.
UV_VERSION := 0.13.9

.PHONY: book test serve lab bench bench-grading exercises install install-runtime browser sandbox \
  lint lock clean

install: $(DEV_STAMP)
install-runtime: $(RUNTIME_STAMP)

# $(1): the lock to install. pip check stops on a lock that does not fit together.
define install_lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(1) -e .
	$(BIN)/python -m pip check
	@# JupyterLab in this environment opens chapters/*.md as notebooks (as binder/postBuild
	@# does on Binder), without touching the user's own JupyterLab settings.
	$(BIN)/jupytext-config --settings-file $(VENV)/share/jupyter/lab/settings/overrides.json \
	  set-default-viewer markdown myst
endef

$(RUNTIME_STAMP): requirements.txt pyproject.toml setup.py
	$(call install_lock,requirements.txt)
	@touch $@

# The development lock holds the runtime lock, so it satisfies `make lab` too.
$(DEV_STAMP): requirements.txt requirements-dev.txt pyproject.toml setup.py
	$(call install_lock,requirements-dev.txt)
	@touch $@ $(RUNTIME_STAMP)

# Jupyter Book rebuilds a page only when the page changes (and jupyter-cache re-executes it
# only then), and Sphinx does not overwrite static files it copied before. The pages call the
# course package, read data/ and use _static/, so a change there means a clean build.
CODE_STAMP := _build/.course-code-stamp
# Then each chapter's summary and worksheet are printed to PDF from the built pages by headless
# Chromium (defence_course/handouts.py); a handout newer than its page is kept.
book: install browser
	@if [ ! -f $(CODE_STAMP) ] || \
	  [ -n "$$(find defence_course data _static _config.yml -newer $(CODE_STAMP) -print -quit)" ]; \
	  then echo "The course code or data changed: clean build."; \
	  rm -rf _build/html _build/jupyter_execute _build/.doctrees _build/.jupyter_cache; fi
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	$(BIN)/python -m defence_course handouts --site _build/html
	@touch $(CODE_STAMP)
	@echo
	@echo "The website is in _build/html: open _build/html/index.html, or run 'make serve'."

test: install browser sandbox
	$(BIN)/ruff check defence_course tests scripts
	$(BIN)/ruff format --check defence_course tests scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=30

# Debian's Chromium drives the browser tests (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || test -x "$$CHROMIUM_PATH" || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

# bubblewrap (Debian's package) builds the grader's sandboxes: each student notebook runs in its
# own namespaces, with the course read-only and nothing else of the machine in sight.
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q bubblewrap; }

serve: PORT ?= 8000
serve:
	@test -f _build/html/index.html || { echo "Build the site first: make book"; exit 1; }
	@echo "Serving the course on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

# JupyterLab on http://localhost:$(PORT)/ with the repository as its root, opened on the
# reader's notebooks (notebooks/). As root (a container, a CI machine) JupyterLab refuses to
# start without --allow-root. It asks PyPI for updates and may fetch a news feed unless told
# not to: the course works with no internet.
lab: PORT ?= 8888
lab: install-runtime
	$(BIN)/jupyter lab --port=$(PORT) --ServerApp.root_dir="$(CURDIR)" \
	  --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate --LabApp.news_url=None \
	  $(if $(wildcard notebooks/*.ipynb),--LabApp.default_url=/lab/tree/notebooks) \
	  $$(if [ "$$(id -u)" = 0 ]; then echo --allow-root; fi) $(LAB_ARGS)

bench: install browser
	$(BIN)/python scripts/benchmark_build.py
	$(MAKE) --no-print-directory book
	$(BIN)/python scripts/benchmark_pages.py
	$(BIN)/python scripts/benchmark_models.py

# Student notebooks and autograders from the masters in exercises/ (otter assign).
exercises: install
	$(BIN)/python -m defence_course teach build

bench-grading: install
	$(BIN)/python scripts/benchmark_grading.py

lint: install
	$(BIN)/ruff check defence_course tests scripts
	$(BIN)/ruff format --check defence_course tests scripts
	$(BIN)/mypy

# Re-pin the locks from pyproject.toml after changing its dependencies (needs the package
# index): requirements.txt = the package and its "lab" extra, requirements-dev.txt = every
# extra, held to the same versions as requirements.txt. Pins already in the locks are kept
# while pyproject.toml allows them; `make lock UPGRADE=1` moves all to the newest allowed.
LOCK_FLAGS = --python-version 3.11 --python-platform linux --quiet \
  --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet uv==$(UV_VERSION)
	.lock-venv/bin/uv pip compile pyproject.toml --extra lab $(LOCK_FLAGS) -o requirements.txt
	.lock-venv/bin/uv pip compile pyproject.toml --all-extras --constraint requirements.txt \
	  $(LOCK_FLAGS) -o requirements-dev.txt
	rm -rf .lock-venv

clean:
	rm -rf _build .jupyter_cache
