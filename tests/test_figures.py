"""Figures come from results alone, deterministically; a committed figure that is stale fails."""

from __future__ import annotations

import csv
import io
import re
import sys

import pytest

from whygpu import figures, results


@pytest.fixture(scope="module")
def rendered(root):
    return figures.render(results.load_all(root / "results"))


def test_committed_figures_match_the_results(root, rendered):
    out = root / "docs" / "assets" / "figures"
    stale = [
        name
        for name, text in rendered.items()
        if not (out / name).exists() or (out / name).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"stale or missing figures (run `nox -s figures`): {stale}"
    extra = sorted({p.name for p in out.iterdir() if not p.name.startswith(".")} - set(rendered))
    assert not extra, f"figures no results file draws (delete them): {extra}"


def test_drawing_is_deterministic(root, rendered):
    again = figures.render(results.load_all(root / "results"))
    assert again == rendered


def test_csv_holds_the_plotted_medians(root, rendered):
    docs = results.load_all(root / "results")
    for doc in docs:
        rows = list(csv.DictReader(io.StringIO(rendered[f"{doc['example']}.csv"])))
        for run in doc["runs"]:
            ok = [p for p in run["points"] if p["status"] == "ok"]
            mine = [
                r
                for r in rows
                if r["machine"] == doc["machine"] and r["accelerator"] == run["accelerator"]
            ]
            assert [int(r["size"]) for r in mine] == [p["size"] for p in ok]
            for row, point in zip(mine, ok, strict=True):
                assert float(row["median_s"]) == pytest.approx(point["median_s"], rel=1e-5)


def test_svgs_are_light_and_dark_and_self_contained(rendered):
    svgs = {name: text for name, text in rendered.items() if name.endswith(".svg")}
    assert any(n.endswith("-dark.svg") for n in svgs)
    for name, text in svgs.items():
        assert text.startswith("<?xml")
        assert not re.search(r'href="https?:|url\(https?:', text), f"{name} loads a URL"
        assert len(text.encode()) < 250_000, f"{name} is heavy"


def test_caption_names_machine_and_versions(root, rendered):
    docs = results.load_all(root / "results")
    for doc in docs:
        caption = rendered[f"{doc['example']}.caption.md"]
        assert doc["machine"] in caption.replace("\\", "")
        for run in doc["runs"]:
            assert run["provenance"]["torch"] in caption.replace("\\", "")


def test_untrusted_strings_are_escaped_in_captions(root):
    docs = results.load_all(root / "results")
    docs[0]["runs"][0]["device_name"] = "Evil *GPU* [link](x) `code`"
    caption = figures.render(docs)[f"{docs[0]['example']}.caption.md"]
    assert "[link](x)" not in caption and "*GPU*" not in caption


def test_figures_need_no_torch(root, tmp_path):
    import subprocess

    code = (
        "import sys; sys.modules['torch'] = None\n"
        "from whygpu import figures; from pathlib import Path\n"
        "figures.draw_all(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(root / "results"), str(tmp_path)], check=True, timeout=120
    )
    assert (tmp_path / "conv2d.svg").exists()
