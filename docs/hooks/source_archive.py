"""MkDocs hook: the way to the code, from every page.

Every "run it yourself" assumes a checkout; a reader of the hosted site may have no git host
to clone from, so the build writes `downloads/whygpu-source.tar.gz` (the files `git ls-files`
lists, as they are in the working tree, with fixed times and owners so two builds of one tree
give one archive) and every "Run it yourself" section links it. `repo_url` comes from the
WHYGPU_REPO_URL environment variable when it is set, so a fork's site links its own repository,
and `site_url` from WHYGPU_SITE_URL, the address the site is published at, without which the
sitemap MkDocs writes is empty.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import subprocess
import tarfile
from pathlib import Path

from mkdocs.exceptions import PluginError

ARCHIVE = "downloads/whygpu-source.tar.gz"
PREFIX = "whygpu"
_RUN_IT = re.compile(r'(<h2 id="run-it-yourself"[^>]*>.*?</h2>)', re.DOTALL)


def on_config(config):
    site = os.environ.get("WHYGPU_SITE_URL", "").strip()
    if site:
        config["site_url"] = site if site.endswith("/") else site + "/"
    url = os.environ.get("WHYGPU_REPO_URL", "").strip()
    if url:
        config["repo_url"] = url
        config["repo_name"] = "/".join(url.rstrip("/").split("/")[-2:]) or url
    return config


def tracked_files(root: Path) -> list[str]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise PluginError(f"the source archive needs a git checkout at {root}: {exc}") from exc
    return sorted(p for p in out.decode().split("\0") if p and (root / p).is_file())


def build_archive(root: Path) -> bytes:
    """The tracked files as a reproducible .tar.gz under `whygpu/`."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in tracked_files(root):
            data = (root / name).read_bytes()
            info = tarfile.TarInfo(f"{PREFIX}/{name}")
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            if (root / name).stat().st_mode & 0o111:
                info.mode = 0o755
            tar.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return packed.getvalue()


def on_page_content(html: str, page, config, files) -> str:
    """Under every "Run it yourself" heading, the way to get the code."""
    depth = page.url.count("/")
    href = "../" * depth + ARCHIVE
    note = (
        f'<p class="whygpu-get-code">Get the code first: <a href="{href}">download the source '
        "(.tar.gz)</a>"
        + (
            f' or clone <a href="{config["repo_url"]}">the repository</a>'
            if config["repo_url"]
            else ""
        )
        + ".</p>"
    )
    return _RUN_IT.sub(lambda m: m.group(1) + note, html, count=1)


def on_post_build(config) -> None:
    root = Path(config["config_file_path"]).parent
    target = Path(config["site_dir"]) / ARCHIVE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build_archive(root))
