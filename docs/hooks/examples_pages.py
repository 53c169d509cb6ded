"""MkDocs hook: publish `examples/*.py` as pages and `results/*/*.json` as raw files.

The examples live outside `docs/` because they are also the benchmarks and runnable scripts;
this hook adds them to the site's files before mkdocs-jupyter (a plugin, so it runs later at the
same event) turns each into a notebook page at `examples/<slug>/`. The results files are copied
as they are, so the results page can link every number to the file it came from.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]


@event_priority(100)  # before mkdocs-jupyter's on_files, which wraps matching files as notebooks
def on_files(files: Files, config) -> Files:
    for path in sorted((ROOT / "examples").glob("*.py")):
        if path.name.startswith("_"):
            continue
        files.append(
            File(
                f"examples/{path.name}",
                src_dir=str(ROOT),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
            )
        )
    for path in sorted((ROOT / "results").glob("*/*.json")):
        files.append(
            File(
                path.relative_to(ROOT).as_posix(),
                src_dir=str(ROOT),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
            )
        )
    return files
