"""The README's "Adding a field" walkthrough, run on a throwaway copy of the repository.

Each step takes its text from the README (the YAML, the field list line, the contract example), so the README
and this test cannot drift apart: the spec edit, `make generate` (tools.codegen), the field list test failing
with a message that names the list, then passing, and the contract example passing against the regenerated
package.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tools import codegen

README = codegen.ROOT / "README.md"
FIELD_LIST_TEST = "tests/test_spec.py::test_appointment_schema_has_the_17_page_fields"
CONTRACT_TEST = "tests/test_contract.py::test_meeting_link_round_trips"
# The end of Appointment's last property, assignedResources, and the schema after it.
APPOINTMENT_END = "            - YlWd2wuCAZQzh2cH1fVZ\n    BadRequestResponse:\n"


def _walkthrough_blocks() -> dict[str, str]:
    section = README.read_text(encoding="utf-8").split("### Adding a field\n", 1)[1].split("\n### ", 1)[0]
    yaml_block, field_list, contract = re.findall(r"```(?:yaml|python)\n(.*?)```", section, flags=re.DOTALL)
    return {"yaml": yaml_block, "field_list": field_list, "contract": contract}


def _copy_repository(root: Path) -> None:
    ignore = shutil.ignore_patterns(*codegen.CACHE_DIRS, ".hypothesis")
    for name in ("openapi", "runtime", "tools", "tests"):
        shutil.copytree(codegen.ROOT / name, root / name, ignore=ignore)
    for name in ("generator-config.yaml", "pyproject.toml", "LICENSE"):
        shutil.copy(codegen.ROOT / name, root / name)


def _pytest(root: Path, *tests: str) -> subprocess.CompletedProcess[str]:
    """pytest in the copy, importing the copy's generated package (PYTHONPATH comes before the editable install)."""
    env = {**os.environ, "PYTHONPATH": str(root / "generated")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-header", *tests],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_adding_a_field_as_the_readme_says(tmp_path: Path) -> None:
    blocks = _walkthrough_blocks()
    root = tmp_path / "repo"
    _copy_repository(root)

    # 1. The spec: the README's YAML at the end of Appointment's properties.
    spec = root / codegen.SPEC
    text = spec.read_text(encoding="utf-8")
    assert text.count(APPOINTMENT_END) == 1
    spec.write_text(text.replace(APPOINTMENT_END, APPOINTMENT_END.replace("    Bad", blocks["yaml"] + "    Bad")))

    # 2. make generate.
    assert codegen.main(["generate", "--root", str(root)]) == 0
    model = (root / "generated" / "highlevel_contacts" / "models" / "appointment.py").read_text(encoding="utf-8")
    assert "    meeting_link: None | str | Unset = UNSET\n" in model
    assert 'field_dict["meetingLink"] = meeting_link' in model

    # 4. The contract example, added to the copy's tests/test_contract.py.
    with (root / "tests" / "test_contract.py").open("a", encoding="utf-8") as contract:
        contract.write("\n\n" + blocks["contract"])

    # 3. Before the field list is updated: the field list test fails and names the list; the example passes.
    before = _pytest(root, FIELD_LIST_TEST, CONTRACT_TEST)
    assert before.returncode == 1
    assert "1 failed, 1 passed" in before.stdout
    assert "In the spec but in neither list: ['meetingLink']. A field you added to the spec: add it to" in (
        before.stdout
    )
    assert "APPOINTMENT_FIELDS_BEYOND_PAGE" in before.stdout
    assert "tests/helpers.py" in before.stdout

    # 3. The field list, as the README shows it: then both pass.
    helpers = root / "tests" / "helpers.py"
    declaration = "APPOINTMENT_FIELDS_BEYOND_PAGE: list[str] = []\n"
    assert helpers.read_text(encoding="utf-8").count(declaration) == 1
    helpers.write_text(helpers.read_text(encoding="utf-8").replace(declaration, blocks["field_list"]))
    after = _pytest(root, FIELD_LIST_TEST, CONTRACT_TEST, "tests/test_spec.py")
    assert after.returncode == 0, after.stdout
    assert re.search(r"^\d+ passed", after.stdout.splitlines()[-1]) is not None
