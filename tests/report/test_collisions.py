"""No chart's words collide: line names, star names and notes neither overprint one another nor
run past the figure's edge, in any layout or theme (issue 25)."""

from __future__ import annotations

import pytest

from whygpu.report import build, charts, cited, evidence
from whygpu.report.collisions import text_collisions
from whygpu.report.crossover import crossovers


def _published(root):
    from whygpu.store import files

    return files.load_all(root / "results")


@pytest.mark.slow
@pytest.mark.parametrize("machines_of", ["published", "cuda", "mps"])
def test_no_figure_has_words_that_collide(root, monkeypatch, machines_of):
    """Every example figure, wide and phone, and the roofline: drawn from the published results,
    and from them with a synthetic CPU + GPU machine beside them (the day a GPU lands)."""
    import matplotlib.pyplot as plt
    from fixtures import machines

    from whygpu.contract.examples import declared as read_declared
    from whygpu.report import roofline
    from whygpu.report.style import THEMES

    found: list[str] = []
    where = [""]

    def check(fig):
        found.extend(f"{where[0]}: {c}" for c in text_collisions(fig))
        plt.close(fig)
        return ""

    monkeypatch.setattr(charts, "to_svg", check)
    monkeypatch.setattr(roofline, "to_svg", check)
    docs = _published(root)
    if machines_of != "published":
        docs = machines.committed(root) + getattr(machines, machines_of)(root)
    declared = read_declared(root / "examples")
    crossings = crossovers(docs, declared)
    for slug, side in evidence.sides(docs, declared).items():
        meaning = declared.of(slug)
        marks = (
            build.crossing_marks(crossings, slug, side.machine) if meaning.finds_crossover else []
        )
        sizes = sorted({p["size"] for s in side.measured for p in s["points"]})
        stars = cited.marks(meaning.cited_beside, sizes)
        for layout in ("wide", "phone"):
            where[0] = f"{slug} ({layout})"
            charts._draw(side.measured, side.models, THEMES["light"], marks, stars, layout)
    where[0] = "roofline"
    roofline.render(docs, declared)
    assert found == []


@pytest.mark.slow
@pytest.mark.parametrize("machines_of", ["cuda", "mps"])
def test_axes_past_two_decades_stay_logarithmic(root, monkeypatch, machines_of):
    """With a GPU measured beside the CPU, the throughput spans more than two decades: a linear
    axis laid the CPU's lines on the zero line."""
    import matplotlib.pyplot as plt
    import numpy as np
    from fixtures import machines

    from whygpu.contract.examples import declared as read_declared
    from whygpu.report.style import THEMES

    scales: list[tuple[str, float, str]] = []

    def read(fig):
        for ax in fig.axes:
            low, high = ax.get_ylim()
            decades = np.log10(high / low) if low > 0 else np.inf
            scales.append((ax.get_title(), decades, ax.get_yscale()))
        plt.close(fig)
        return ""

    monkeypatch.setattr(charts, "to_svg", read)
    docs = machines.committed(root) + getattr(machines, machines_of)(root)
    declared = read_declared(root / "examples")
    side = evidence.sides(docs, declared)["crossover"]
    assert side.kind == "measured"
    charts._draw(side.measured, side.models, THEMES["light"], [], [], "wide")
    for title, decades, scale in scales:
        if decades > 2:
            assert scale == "log", f"{title}: {decades:.1f} decades on a {scale} axis"


def test_the_check_sees_an_overprint_and_an_edge():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.annotate("first name", (0.5, 0.5))
    ax.annotate("second name", (0.5, 0.5))
    ax.annotate("a name far past the right edge of the figure", (0.95, 0.2))
    found = text_collisions(fig)
    plt.close(fig)
    assert "'first name' overprints 'second name'" in found
    assert any("runs past the figure's edge" in f for f in found)


@pytest.mark.slow
def test_a_phone_figure_gives_its_plot_most_of_the_width(root, monkeypatch):
    """Line names beside the plot took three fifths of a phone figure's width (a 140 px plot on
    a 390 px screen); a phone figure names its lines in its legend only, says its units in its
    titles, and its plot is at least 300 px wide in the 358 px column of a 390 px phone."""
    import matplotlib.pyplot as plt

    from whygpu.contract.examples import declared as read_declared
    from whygpu.report.style import THEMES
    from whygpu.store import files

    shares: dict[str, float] = {}
    where = [""]

    def measure(fig):
        fig.canvas.draw()
        shares[where[0]] = min(ax.get_window_extent().width for ax in fig.axes) / fig.bbox.width
        plt.close(fig)
        return ""

    monkeypatch.setattr(charts, "to_svg", measure)
    docs = files.load_all(root / "results")
    declared = read_declared(root / "examples")
    for slug, side in evidence.sides(docs, declared).items():
        where[0] = slug
        charts._draw(side.measured, side.models, THEMES["light"], [], [], "phone")
    column = 390 - 2 * 16  # px: Material's content column on a 390 px phone
    assert shares and min(shares.values()) * column >= 300, shares
