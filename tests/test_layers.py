"""Imports go downwards only: a lower app never imports a higher one (it sends a signal instead).

lms/urls.py and lms/settings.py wire the project together: they name the apps by string, never import them.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"lms": 0, "courses": 1, "certificates": 2, "evaluation": 3, "stats": 4, "privacy": 4}


def imported_packages(path):
    """The top-level packages a module imports absolutely, wherever in it (inside functions too)."""
    packages = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            packages.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
    return packages


def upward_imports(root):
    """[(file, the higher apps it imports)] under `root`, migrations aside."""
    found = []
    for app, layer in LAYERS.items():
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.relative_to(root).parts:
                continue
            higher = sorted(p for p in imported_packages(path) if LAYERS.get(p, -1) > layer)
            if higher:
                found.append((str(path.relative_to(root)), higher))
    return found


def test_no_app_imports_an_app_above_it():
    assert upward_imports(ROOT) == []


def test_the_check_names_the_file_that_imports_upwards(tmp_path):
    for app in LAYERS:
        (tmp_path / app).mkdir()
    (tmp_path / "courses" / "views.py").write_text("def f():\n    from stats.figures import breakdowns\n")
    (tmp_path / "lms" / "urls.py").write_text('from django.urls import include\nURLS = include("stats.urls")\n')
    (tmp_path / "lms" / "migrations").mkdir()
    (tmp_path / "lms" / "migrations" / "0001_initial.py").write_text("import courses\n")
    (tmp_path / "certificates" / "receivers.py").write_text("from courses.signals import event_closed\n")
    assert upward_imports(tmp_path) == [("courses/views.py", ["stats"])]
