"""MkDocs hook: publish `examples/*.py` as pages and `results/*/*.json` as raw files.

The examples live outside `docs/` because they are also the benchmarks and runnable scripts;
this hook adds them to the site's files before mkdocs-jupyter (a plugin, so it runs later at the
same event) turns each into a notebook page at `examples/<slug>/`. The results files are copied
as they are, so the results page can link every number to the file it came from.
"""

from __future__ import annotations

from hook_common import ROOT
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from whygpu.contract import examples
from whygpu.contract.names import EXAMPLES_DIR, RESULTS_DIR


@event_priority(100)  # before mkdocs-jupyter's on_files, which wraps matching files as notebooks
def on_files(files: Files, config) -> Files:
    published = [
        *examples.paths(ROOT / EXAMPLES_DIR),
        *sorted((ROOT / RESULTS_DIR).glob("*/*.json")),
    ]
    for path in published:
        files.append(
            File(
                path.relative_to(ROOT).as_posix(),
                src_dir=str(ROOT),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
            )
        )
    return files
