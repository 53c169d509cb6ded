"""Links: the strict build rejects a broken internal link or anchor; outside links resolve.

The internal check is MkDocs' own validation, run with the site's settings on a tiny site that
has one broken link, so the test proves the settings catch it. Outside links need the network:
that test skips, saying so, when the machine is offline.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from whygpu.contract import examples

LINK = re.compile(r"\]\((https?://[^)\s]+)\)|^\[[^\]]+\]:\s*(https?://\S+)", re.MULTILINE)


def _build(root, tmp_path, pages: dict[str, str]) -> subprocess.CompletedProcess:
    real = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    config = {
        "site_name": "links",
        "docs_dir": str(docs),
        "site_dir": str(tmp_path / "site"),
        "strict": real["strict"],
        "validation": real["validation"],
        "nav": [{n: n} for n in pages],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(tmp_path / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
    )


def test_site_settings_are_strict_and_validate_links_and_anchors(root):
    real = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert real["strict"] is True
    for key in ("not_found", "anchors", "unrecognized_links", "omitted_files"):
        assert real["validation"][key] == "warn", f"validation.{key} must warn (strict fails)"


def test_good_links_build(root, tmp_path):
    proc = _build(root, tmp_path, {"a.md": "# A\n\n[b](b.md#two)\n", "b.md": "# B\n\n## Two\n"})
    assert proc.returncode == 0, proc.stderr


def test_broken_page_link_fails_the_build(root, tmp_path):
    proc = _build(root, tmp_path, {"a.md": "# A\n\n[gone](missing.md)\n", "b.md": "# B\n"})
    assert proc.returncode != 0
    assert "missing.md" in proc.stderr


def test_broken_anchor_fails_the_build(root, tmp_path):
    proc = _build(root, tmp_path, {"a.md": "# A\n\n[b](b.md#nowhere)\n", "b.md": "# B\n"})
    assert proc.returncode != 0
    assert "nowhere" in proc.stderr


def _outside_links(root) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    files = [*(root / "docs").rglob("*.md"), *examples.paths(root / "examples"), root / "README.md"]
    for path in files:
        for m in LINK.finditer(path.read_text(encoding="utf-8")):
            url = (m.group(1) or m.group(2)).rstrip(".,;")
            found.setdefault(url, []).append(str(path.relative_to(root)))
    return found


def _online(host: str = "example.com") -> bool:
    try:
        socket.create_connection((host, 443), timeout=3).close()
        return True
    except OSError:
        return False


def test_every_concept_page_cites_an_outside_source(root):
    cited = {Path(p).name for where in _outside_links(root).values() for p in where}
    for page in sorted((root / "docs" / "concepts").glob("*.md")):
        assert page.name in cited, f"{page.name} links no primary source"


@pytest.mark.network
def test_outside_links_resolve(root):
    if not _online():
        pytest.skip("offline: example.com:443 is unreachable, so outside links cannot be checked")
    broken = []
    for url, where in sorted(_outside_links(root).items()):
        request = urllib.request.Request(url, headers={"User-Agent": "whygpu-linkcheck"})
        try:
            with urllib.request.urlopen(request, timeout=15):
                pass
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403, 429):  # the host refuses robots; not proof of a dead link
                continue
            broken.append(f"{url} ({exc.code}) in {', '.join(sorted(set(where)))}")
        except (urllib.error.URLError, TimeoutError) as exc:
            broken.append(f"{url} ({exc}) in {', '.join(sorted(set(where)))}")
    assert not broken, "broken outside links:\n" + "\n".join(broken)
