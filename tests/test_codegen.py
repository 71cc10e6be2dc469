"""generated/ is exactly what the spec, config and templates produce, and the drift check notices otherwise.

Like openapi-python-client's own golden-record tests: regenerate, compare byte for byte.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import shutil
from pathlib import Path

import pytest

from tools import codegen

ENDPOINT = "highlevel_contacts/api/contacts/get_appointments_for_contact.py"


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """The inputs and the committed output of generation, copied aside so the tests can break them."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("openapi", "generated", "runtime"):
        shutil.copytree(codegen.ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__", ".pdm-build"))
    for path in (codegen.CONFIG, codegen.LICENSE):
        shutil.copy(codegen.ROOT / path, root / path)
    return root


def test_committed_output_is_what_generation_writes(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert codegen.main(["check", "--root", str(repo_copy)]) == 0
    assert capsys.readouterr().out == "generated/ matches what `make generate` writes\n"


def test_generation_is_deterministic(tmp_path: Path) -> None:
    codegen.generate(codegen.ROOT, tmp_path / "first")
    codegen.generate(codegen.ROOT, tmp_path / "second")
    assert codegen.diff_trees(tmp_path / "first", tmp_path / "second") == []
    assert (tmp_path / "first" / "highlevel_contacts" / "py.typed").is_file()
    assert not (tmp_path / "first" / ".ruff_cache").exists()


def test_a_hand_edit_fails_the_check(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = repo_copy / "generated" / ENDPOINT
    edited.write_text(edited.read_text().replace('"method": "get"', '"method": "post"'))
    assert codegen.main(["check", "--root", str(repo_copy)]) == 1
    out = capsys.readouterr().out
    assert f"--- generated/{ENDPOINT} (committed)" in out
    assert '-        "method": "post",' in out
    assert '+        "method": "get",' in out


def test_an_added_file_fails_the_check(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo_copy / "generated" / "highlevel_contacts" / "helpers.py").write_text("X = 1\n")
    assert codegen.main(["check", "--root", str(repo_copy)]) == 1
    assert "only in generated/ (not generated): highlevel_contacts/helpers.py" in capsys.readouterr().out


def test_an_unregenerated_spec_change_fails_the_check(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = repo_copy / codegen.SPEC
    text = spec.read_text()
    assert "      summary: Get Appointments for Contact\n" in text
    spec.write_text(text.replace("      summary: Get Appointments for Contact\n", "      summary: Renamed\n"))
    assert codegen.main(["check", "--root", str(repo_copy)]) == 1
    out = capsys.readouterr().out
    assert f"+++ generated/{ENDPOINT} (generated)" in out
    assert '+    """Renamed' in out


def test_a_generator_warning_fails_generation_and_leaves_generated_alone(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A response whose schema is a remote $ref is skipped with a warning (generator issue #715)."""
    before = codegen.diff_trees(repo_copy / "generated", codegen.ROOT / "generated")
    spec = repo_copy / codegen.SPEC
    text = spec.read_text()
    spec.write_text(
        text.replace('$ref: "#/components/schemas/BadRequestResponse"', '$ref: "common.json#/BadRequestDTO"')
    )
    assert codegen.main(["generate", "--root", str(repo_copy)]) == 2
    assert "openapi-python-client exited 1" in capsys.readouterr().err
    assert before == codegen.diff_trees(repo_copy / "generated", codegen.ROOT / "generated") == []


def test_runtime_modules_are_vendored_with_a_header_naming_their_source() -> None:
    package = codegen.ROOT / "generated" / "highlevel_contacts"
    sources = codegen.runtime_modules(codegen.ROOT)
    assert {path.name for path in sources} >= {"client.py", "errors.py", "retry.py", "transport.py", "types.py"}
    for source in sources:
        copy = (package / source.name).read_text(encoding="utf-8")
        first_line, rest = copy.split("\n", 1)
        assert (
            first_line == f"# Vendored from runtime/{source.name} by `make generate`: edit that file, never this copy."
        )
        assert rest == source.read_text(encoding="utf-8")


def test_a_hand_edit_of_a_vendored_module_fails_the_check_and_names_its_source(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = repo_copy / "generated" / "highlevel_contacts" / "retry.py"
    copy.write_text(copy.read_text().replace("max_attempts: int = 4", "max_attempts: int = 9"))
    assert codegen.main(["check", "--root", str(repo_copy)]) == 1
    out, err = capsys.readouterr()
    assert "-    max_attempts: int = 9" in out
    assert "+    max_attempts: int = 4" in out
    assert "generated/highlevel_contacts/retry.py is a copy of runtime/retry.py: change it there" in err


def test_an_unregenerated_runtime_edit_fails_the_check(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = repo_copy / "runtime" / "retry.py"
    source.write_text(source.read_text().replace("max_attempts: int = 4", "max_attempts: int = 5"))
    assert codegen.main(["check", "--root", str(repo_copy)]) == 1
    out, err = capsys.readouterr()
    assert "+++ generated/highlevel_contacts/retry.py (generated)" in out
    assert "+    max_attempts: int = 5" in out
    assert "runtime/retry.py: change it there" in err


def test_a_runtime_module_may_not_overwrite_generated_code(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo_copy / "runtime" / "__init__.py").write_text("X = 1\n")
    assert codegen.main(["generate", "--root", str(repo_copy)]) == 2
    assert "runtime/__init__.py would overwrite the generated highlevel_contacts/__init__.py" in capsys.readouterr().err


def test_a_generator_failure_prints_the_documents_text_and_no_success_line(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The generator wraps the document's strings in an object whose repr hides them, and says "Client was
    generated" although --fail-on-warning makes the run fail and nothing is written."""
    (repo_copy / codegen.SPEC).write_text(
        "openapi: 3.1.0\n"
        "info: {title: broken, version: '1'}\n"
        "paths:\n"
        "  /things:\n"
        "    get:\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}\n"
    )
    assert codegen.main(["generate", "--root", str(repo_copy)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("openapi-python-client exited 1; nothing was written:\n")
    assert "Cannot parse response for status code 200 (Could not find reference in parsed models or enums)" in (
        captured.err
    )
    assert "UntrustedString" not in captured.err
    assert "was generated" not in captured.err
    assert codegen.diff_trees(repo_copy / "generated", codegen.ROOT / "generated") == []


# The custom templates' line budget (issue 20): overrides stay small diffs from the stock templates.
TEMPLATE_LINE_BUDGET = 900


def _stock_templates() -> Path:
    spec = importlib.util.find_spec("openapi_python_client")
    assert spec is not None
    assert spec.origin is not None
    return Path(spec.origin).parent / "templates"


def test_the_templates_keep_to_their_line_budget() -> None:
    lines = {
        path.relative_to(codegen.ROOT / codegen.TEMPLATES).as_posix(): len(
            path.read_text(encoding="utf-8").splitlines()
        )
        for path in sorted((codegen.ROOT / codegen.TEMPLATES).rglob("*"))
        if path.is_file()
    }
    assert sum(lines.values()) <= TEMPLATE_LINE_BUDGET, f"{sum(lines.values())} lines: {lines}"


def test_each_template_overrides_a_stock_one_says_why_and_differs_from_it() -> None:
    # A custom template is used only where its path is a stock template's: a misspelt name would be ignored without
    # a word. One that no longer differs from the stock one is deleted.
    stock = _stock_templates()
    for path in sorted((codegen.ROOT / codegen.TEMPLATES).rglob("*.jinja")):
        name = path.relative_to(codegen.ROOT / codegen.TEMPLATES).as_posix()
        assert (stock / name).is_file(), f"{name} overrides no stock template"
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"{{#- Override of the stock {Path(name).name} (openapi-python-client "), name
        assert "Why:" in text.split("-#}", 1)[0], f"{name}: its first comment must say why it exists"
        assert text != (stock / name).read_text(encoding="utf-8"), f"{name} is the stock template: delete it"


def test_the_package_exports_names_its_runtime_modules_declare() -> None:
    init = ast.parse((codegen.ROOT / "generated" / "highlevel_contacts" / "__init__.py").read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in init.body:
        if isinstance(node, ast.ImportFrom) and node.module is not None:  # not `from . import client, errors`
            assert node.level == 1
            module = importlib.import_module(f"highlevel_contacts.{node.module}")
            names = [alias.name for alias in node.names]
            if names == ["*"]:
                names = list(module.__all__)  # derived: whatever the module declares
            assert set(names) <= set(module.__all__), (
                f"{node.module} does not declare {set(names) - set(module.__all__)}"
            )
            imported += names
    package = importlib.import_module("highlevel_contacts")
    assert len(set(imported)) == len(imported) >= 20
    assert sorted(package.__all__) == sorted(imported)
    # An error declared in errors.__all__ is exported without another list to keep.
    errors = importlib.import_module("highlevel_contacts.errors")
    assert set(errors.__all__) <= set(package.__all__)
    assert "RunStoppedError" in package.__all__
