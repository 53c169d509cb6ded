"""`nox -s new_example -- SLUG`: write examples/SLUG.py from a template that keeps the contract.

The template is a complete example (ReLU over fp32 arrays): it runs, the runner measures it, the
figures draw it and the site lists it, before the contributor changes a line. They then replace
the workload and the prose, keeping the names.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

SLUG = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class ScaffoldError(ValueError):
    """The slug is unusable or taken; the message says which and why."""


def title_of(slug: str) -> str:
    return slug.replace("_", " ").capitalize()


def new_example(slug: str, examples_dir: Path, title: str | None = None) -> Path:
    """Write `examples_dir/slug.py`; never overwrites an existing file."""
    if not SLUG.match(slug):
        raise ScaffoldError(
            f"SLUG {slug!r}: use 2 to 40 lower-case letters, digits and '_', starting with a "
            "letter (it becomes the file name, the page URL and the results file name)"
        )
    path = Path(examples_dir) / f"{slug}.py"
    if path.exists():
        raise ScaffoldError(f"SLUG {slug!r}: {path} already exists; pick another name")
    text = resources.files("whygpu.review").joinpath("templates/example.py.txt").read_text("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.format(slug=slug, title=title or title_of(slug)), encoding="utf-8")
    return path


def next_steps(path: Path, slug: str) -> str:
    """What `new-example` prints: the file written, and the commands that come next."""
    return "\n".join(
        [
            f"wrote {path}: a working example (ReLU over fp32 arrays) to make your own",
            "next:",
            f"  python {path}                           # runs on its own",
            f"  nox -s check_examples -- {path}   # the checks a reviewer relies on",
            f"  nox -s benchmarks -- --only {slug}        # measure it, redraw the figures",
            "  nox -s docs -- serve                       # its page is already in the nav",
        ]
    )
