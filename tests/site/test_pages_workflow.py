"""The Pages deployment publishes exactly what `nox -s docs` builds."""

from __future__ import annotations

import ast

import yaml


def test_pages_workflow_builds_with_nox_docs_and_uploads_its_output(root):
    workflow = yaml.safe_load((root / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s["run"].strip() for s in steps if "run" in s]
    assert "nox -s docs" in runs, f"the build job must run `nox -s docs`, it runs {runs}"
    assert not any("mkdocs" in r for r in runs), "a second, different build would drift"
    upload = next(s for s in steps if "upload-pages-artifact" in s.get("uses", ""))
    site_dir = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")).get(
        "site_dir", "site"
    )
    assert upload["with"]["path"] == site_dir


def test_nox_docs_session_builds_strict_into_the_default_site_dir(root):
    tree = ast.parse((root / "noxfile.py").read_text(encoding="utf-8"))
    docs = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "docs")
    source = ast.unparse(docs)
    assert "'mkdocs', 'build', '--strict'" in source
    assert "site-dir" not in source, "the workflow uploads the default site/ folder"
