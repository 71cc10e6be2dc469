# Two commands do everything on a fresh machine with Python 3.11+ and make: `make demo` and `make test`.
# Both create .venv on first use; nothing but packages is downloaded.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_VERSION := 26.3
# The venv is rebuilt when the pins change.
STAMP := $(VENV)/.installed

.PHONY: venv generate check-generated lint typecheck pytest test demo bench clean

venv: $(STAMP)

# The generated package is installed editable; its dependencies come from the pyproject template.
$(STAMP): pyproject.toml $(wildcard openapi/templates/pyproject*.jinja)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==$(PIP_VERSION)"
	$(BIN)/python -m pip install --quiet --group dev
	$(BIN)/python -m pip install --quiet --editable ./generated
	# pdm-backend leaves its build residue in the project; the installed .pth points at generated/ itself.
	rm -rf generated/.pdm-build
	touch $@

## Regenerate generated/ from openapi/, generator-config.yaml and openapi/templates/.
generate: $(STAMP)
	$(BIN)/python -m tools.codegen generate

## Fail, with a unified diff, when generated/ is not exactly what `make generate` would write.
check-generated: $(STAMP)
	$(BIN)/python -m tools.codegen check

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/python -m tools.typecheck

pytest: $(STAMP)
	$(BIN)/python -m pytest

## Every check: ruff, mypy --strict, the drift check, pytest.
test: lint typecheck check-generated pytest

## Call overhead and parse cost against bare httpx, pydantic v2, msgspec and the stock templates (not a test).
bench: $(STAMP)
	$(BIN)/python -m tools.bench

## Regenerate, start the embedded mock, fetch the example contact's appointments, print them.
demo: generate
	$(BIN)/python -m tools.demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
