# Two commands do everything on a fresh machine with Python 3.11+ and make: `make demo` and `make test`.
# Both create .venv on first use; nothing but packages is downloaded. `make help` lists every target.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_VERSION := 26.3
# The venv is rebuilt when the pins change (in place), and from scratch when it was built by another interpreter
# or its last build did not finish: the stamp is written last, and holds the interpreter's path and version.
STAMP := $(VENV)/.installed

.PHONY: help venv generate check-generated lint typecheck pytest test demo mock bench clean FORCE

comma := ,
# "True 3.11 /usr/bin/python3.11 3.11.7": new enough?, version, then what the stamp records.
PYTHON_INFO := $(shell $(PYTHON) -c 'import sys; v = sys.version_info; print(v >= (3, 11), "%d.%d" % v[:2], sys.executable, "%d.%d.%d" % v[:3])' 2>/dev/null)
INTERPRETER := $(wordlist 3,99,$(PYTHON_INFO))
PYTHON_ERROR := $(if $(PYTHON_INFO),$(if $(filter True,$(firstword $(PYTHON_INFO))),,needs Python 3.11+$(comma) found $(word 2,$(PYTHON_INFO)) ($(PYTHON); pass PYTHON=python3.11 or newer)),needs Python 3.11+$(comma) but $(PYTHON) was not found (pass PYTHON=python3.11 or newer))
ifneq ($(strip $(shell cat $(STAMP) 2>/dev/null)),$(INTERPRETER))
# No stamp (never built, or the last build failed half-way) or another interpreter: build .venv from scratch.
$(STAMP): FORCE
FRESH := rm -rf $(VENV)
endif

## List the targets and what each does.
help:
	@awk '/^## /{doc = substr($$0, 4); next} /^[a-z][a-z-]*:/{if (doc != "") printf "  %-16s %s\n", substr($$1, 1, length($$1) - 1), doc} {doc = ""}' $(firstword $(MAKEFILE_LIST))

## Create .venv (or bring it up to date) with the pinned tools and the generated package installed editable.
venv: $(STAMP)

# The generated package is installed editable; its dependencies come from the pyproject template. The interpreter
# is checked first (one line, before pip can print a wall of "No matching distribution" errors).
$(STAMP): pyproject.toml $(wildcard openapi/templates/pyproject*.jinja)
	$(if $(PYTHON_ERROR),$(error $(PYTHON_ERROR)))
	rm -f $@
	$(FRESH)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==$(PIP_VERSION)"
	$(BIN)/python -m pip install --quiet --group dev
	$(BIN)/python -m pip install --quiet --editable ./generated
	# pdm-backend leaves its build residue in the project; the installed .pth points at generated/ itself.
	rm -rf generated/.pdm-build
	echo '$(INTERPRETER)' > $@

FORCE:

## Regenerate generated/ from openapi/, generator-config.yaml and openapi/templates/.
generate: $(STAMP)
	$(BIN)/python -m tools.codegen generate

## Fail, with a unified diff, when generated/ is not exactly what `make generate` would write.
check-generated: $(STAMP)
	$(BIN)/python -m tools.codegen check

## ruff check and ruff format --check over the repository.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## mypy --strict over generated/, runtime/ (as vendored), tests/ and tools/.
typecheck: $(STAMP)
	$(BIN)/python -m tools.typecheck

## The test suite alone (pytest).
pytest: $(STAMP)
	$(BIN)/python -m pytest

## Every check: ruff, mypy --strict, the drift check, pytest.
test: lint typecheck check-generated pytest

## Call overhead, parse cost, bulk and agency throughput, measured side by side (not a test).
bench: $(STAMP)
	$(BIN)/python -m tools.bench

## Regenerate, start the embedded mock, fetch the example contact's appointments, print them.
demo: generate
	$(BIN)/python -m tools.demo

## Run the embedded mock alone (prints its URL, serves until stdin closes); from anywhere: make -C <repo> mock.
mock: $(STAMP)
	$(BIN)/python -m highlevel_contacts.testing

## Remove .venv and every cache the tools leave (pytest, mypy, ruff, hypothesis, pdm-backend); never a source.
clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis generated/.ruff_cache generated/.pdm-build
	find tools tests runtime generated -name __pycache__ -type d -prune -exec rm -rf {} +
