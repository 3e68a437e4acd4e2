# The two commands of the README:
#   make demo   set up, then grade a realistic sample class end to end into graded/
#   make test   set up, then lint (ruff, the import contracts of pyproject.toml, mypy), check
#               release/ is in sync with source/, and run the tests
#   make test-fast  lint, then the tests that train, grade and run nbgrader nothing
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CLASS := sample_class
OUT := graded

.PHONY: setup system demo test test-fast lint release check-release bench bench-start bench-dask validity clean

AXE := tools/axe/node_modules/axe-core/axe.min.js

setup: system $(VENV)/.installed $(AXE)
	@$(BIN)/python -m autograder.data

# Debian packages: bubblewrap (the sandbox), the offline Fashion-MNIST files, PostgreSQL (the
# tests record grades in a throwaway PostgreSQL gradebook as well as in SQLite), chromium and
# chromium-driver (the tests that open feedback.html and report.html in a headless browser and
# run axe-core on them through Selenium), and npm where Node.js has none (to install axe-core).
system:
	@if ! command -v bwrap >/dev/null || [ ! -d /usr/share/datasets/fashion-mnist ] \
	    || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v chromium >/dev/null \
	    || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      bubblewrap dataset-fashion-mnist postgresql chromium chromium-driver >/dev/null; \
	  else \
	    echo "note: install bubblewrap, postgresql, chromium, chromium-driver (and dataset-fashion-mnist if offline) with your package manager"; \
	  fi; \
	fi
	@if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else \
	    echo "note: install Node.js and npm with your package manager"; \
	  fi; \
	fi

# axe-core, the accessibility rules the browser tests run, at the version tools/axe locks.
$(AXE): tools/axe/package.json tools/axe/package-lock.json
	cd tools/axe && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	touch $@

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

demo: setup
	rm -rf $(CLASS)
	$(BIN)/python tests/corpus/sample_class.py $(CLASS)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/autograder grade c1w2 $(CLASS) --out $(OUT)

lint: setup
	$(BIN)/ruff check autograder tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

check-release: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/autograder release c1w2 --check

test: lint check-release
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadgroup --no-loadscope-reorder --durations=15

# The edit-and-test loop: lint and every test that trains, grades and runs nbgrader nothing.
test-fast: lint
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -m "not slow" -q

release: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/autograder release c1w2

# Grading speed against nbgrader on the same notebooks: writes bench/results.md and .json.
STUDENTS ?= 50
bench: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python bench/run.py --students $(STUDENTS)

# How a run should start (cold, pool, forkserver, fork from warm): writes bench/start_methods.md.
bench-start: setup
	$(BIN)/python bench/start_methods.py --runs 5 --images 2000

# What grading on a loopback Dask cluster costs per submission: writes bench/dask_overhead.md.
bench-dask: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python bench/dask_overhead.py --students 8

# How we know the grades are right: the whole equivalence corpus graded as modules, notebooks
# and notebooks exported as scripts, self-checked on both routes (the visible tests on each
# module, the check cells of each notebook run in a Jupyter kernel), every mistake the self-check
# covers failing it with its fix (bench/equivalence.md and .json), three notebooks through
# nbgrader, then mutation analysis of the hidden checks (bench/validity.md and .json). Takes
# more than an hour on 2 cores.
EQUIVALENCE_PARTS ?= grade,modules,notebooks,scripts,mistakes
validity: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python bench/equivalence.py --jobs 2 \
	  --parts $(EQUIVALENCE_PARTS); graded=$$?; \
	VALIDITY=1 PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest tests/test_corpus_equivalence.py \
	  -k nbgrader -ra; nbgraded=$$?; \
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python bench/validity.py --jobs 2 \
	  && [ $$graded = 0 ] && [ $$nbgraded = 0 ]

clean:
	rm -rf $(VENV) $(CLASS) $(OUT) build *.egg-info tools/axe/node_modules
