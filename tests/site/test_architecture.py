"""Imports between the project's apps run one way: listings at the bottom, the site on top.

A new import against the grain (or an import cycle, which needs one) fails here, so the
layering in docs/architecture.md stays true without anyone having to remember it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["listings", "programs", "activities", "referrals", "opendata", "demo", "recovery_directory"]

# What each app may import from the others. Activities reach programs only for the host of
# an activity (a model relation), never programs' views, filters or admin.
ALLOWED = {
    "listings": set(),
    "programs": {"listings"},
    "activities": {"listings", "programs.models"},
    "referrals": {"listings", "programs", "activities"},
    "opendata": {"listings", "programs", "activities"},
    "demo": {"listings", "programs", "activities"},
    "recovery_directory": set(APPS),
}


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def permitted(module, allowed):
    return any(module == name or module.startswith(name + ".") for name in allowed)


def violations(app):
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for lineno, module in imported_modules(path):
            other = module.split(".")[0]
            if other in APPS and other != app and not permitted(module, ALLOWED[app]):
                found.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    return found


@pytest.mark.parametrize("app", APPS)
def test_app_imports_only_the_layers_below(app):
    assert violations(app) == []


def test_the_rules_admit_no_cycle():
    """Follow every permitted edge: no app can reach itself."""
    edges = {app: {name.split(".")[0] for name in ALLOWED[app]} - {app} for app in APPS}

    def reachable(start):
        seen, todo = set(), list(edges[start])
        while todo:
            app = todo.pop()
            if app not in seen:
                seen.add(app)
                todo.extend(edges[app])
        return seen

    assert [app for app in APPS if app in reachable(app)] == []


def test_the_check_notices_a_forbidden_import(tmp_path, monkeypatch):
    (tmp_path / "listings").mkdir()
    (tmp_path / "listings" / "bad.py").write_text("from programs.models import Program\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert violations("listings") == ["listings/bad.py:1 imports programs.models"]
