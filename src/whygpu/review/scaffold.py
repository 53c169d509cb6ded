"""`nox -s new_example -- SLUG`: write examples/SLUG.py, and its test file, from templates that
keep the contract.

The template is a complete example (ReLU over fp32 arrays): it runs, the runner measures it, the
figures draw it and the site lists it, before the contributor changes a line. Its test file,
tests/examples/test_example_SLUG.py, checks what the template computes, counts and prints; the
contributor replaces the workload, the prose and the tests, keeping the names. The example checks
ask for that test file (whygpu.review.examplecheck).
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


def example_tests(root: Path, slug: str) -> Path:
    """Where an example's own tests live, in the checkout at `root`."""
    return Path(root) / "tests" / "examples" / f"test_example_{slug}.py"


def _template(name: str) -> str:
    return resources.files("whygpu.review").joinpath(f"templates/{name}").read_text("utf-8")


def new_example(slug: str, examples_dir: Path, title: str | None = None) -> Path:
    """Write `examples_dir/slug.py` and its test file beside `examples_dir`, in
    `tests/examples/`; never overwrites an existing file."""
    if not SLUG.match(slug):
        raise ScaffoldError(
            f"SLUG {slug!r}: use 2 to 40 lower-case letters, digits and '_', starting with a "
            "letter (it becomes the file name, the page URL and the results file name)"
        )
    path = Path(examples_dir) / f"{slug}.py"
    tests = example_tests(Path(examples_dir).parent, slug)
    for taken in (path, tests):
        if taken.exists():
            raise ScaffoldError(f"SLUG {slug!r}: {taken} already exists; pick another name")
    words = {"slug": slug, "title": title or title_of(slug)}
    for target, template in ((path, "example.py.txt"), (tests, "test_example.py.txt")):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_template(template).format(**words), encoding="utf-8")
    return path


def next_steps(path: Path, slug: str) -> str:
    """What `new-example` prints: the files written, and the commands that come next, each with
    its comment in one column."""
    tests = example_tests(path.parent.parent, slug)
    steps = [
        (f"PYTHONPATH=src python {path}", "runs on its own"),
        (f"nox -s check_examples -- {path}", "the checks a reviewer relies on"),
        (f"nox -s benchmarks -- --only {slug}", "measure it, redraw the figures"),
        (f"nox -s example -- {slug}", "its tests, checks and page, in minutes"),
        ("nox -s docs -- serve", "its page is already in the nav"),
    ]
    width = max(len(command) for command, _ in steps)
    return "\n".join(
        [
            f"wrote {path}: a working example (ReLU over fp32 arrays) to make your own",
            f"wrote {tests}: its tests, to change with it",
            "next:",
            *(f"  {command:<{width}}   # {why}" for command, why in steps),
        ]
    )
