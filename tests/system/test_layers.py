"""The floors between apps (README, "Layout"), as import-linter checks them in `make lint`:
every app of the project is on a floor, and the contract holds."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def floors() -> list[str]:
    (contract,) = [c for c in CONFIG["contracts"] if c["id"] == "layers"]
    return [name.strip() for layer in contract["layers"] for name in layer.split("|")]


def test_every_app_of_the_project_is_on_a_floor():
    own_apps = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()
    }
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}
    assert own_apps | {"core"} <= packages
    assert sorted(floors()) == sorted(CONFIG["root_packages"]) == sorted(packages)


def test_the_layers_contract_is_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Contracts: 1 kept, 0 broken." in done.stdout
