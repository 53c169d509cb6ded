"""The caption under every example figure: one line that says what to notice, then, folded
under "About this data", which machine measured each line, with which software and when, its
best point, and what the model lines are when there are any."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from whygpu.contract.datasheet import MODEL_GPU
from whygpu.contract.meaning import PLAIN_EXAMPLE, ExampleMeaning
from whygpu.contract.names import EXAMPLES_DIR
from whygpu.contract.thresholds import ROUND_DISAGREE_FRACTION
from whygpu.report.lines import Line, ModelLine, Series, key_of
from whygpu.report.models import borrowed, line_uses
from whygpu.report.reference import RULE
from whygpu.report.series import best_point, rate_of, rate_unit, round_summary
from whygpu.report.text import folded_caption, md_escape, number, ratio


def render(
    slug: str,
    series: list[Series],
    models: list[ModelLine],
    stale: dict[tuple[str, str, str], str],
    cited: list[dict[str, Any]] | None = None,
    meaning: ExampleMeaning = PLAIN_EXAMPLE,
    site: str | None = None,
) -> dict[str, str]:
    """`<slug>.caption.md`, included under the figure by the example pages' hook.

    A variant that declares `same_as` another example's is that example's quantity: the caption
    quotes no rate of its own for it (the other page does), so one quantity has one number."""
    return {f"{slug}.caption.md": _caption(series, models, stale, list(cited or []), meaning, site)}


def _caption(
    series: list[Series],
    models: list[ModelLine],
    stale: dict[tuple[str, str, str], str],
    cited: list[dict[str, Any]],
    meaning: ExampleMeaning,
    site: str | None,
) -> str:
    machine = series[0]["doc"]["machine"]
    own = [s for s in series if not meaning.of(s["variant"]).same_as]
    lines = []
    runs: dict[tuple[str, str], list[Series]] = defaultdict(list)
    for s in series:
        runs[(s["doc"]["machine"], s["run"]["accelerator"])].append(s)
    for group in runs.values():
        run, doc = group[0]["run"], group[0]["doc"]
        prov = run["provenance"]
        built = _what_ran(prov, doc["example"])
        unit, div = rate_unit(doc)
        best = []
        for s in group:
            said = meaning.of(s["variant"]).same_as
            if said:
                best.append(f"{md_escape(s['variant'])}: quoted from {md_escape(said)}")
                continue
            p = best_point(doc, s["points"])
            name = f"{md_escape(s['variant'])} " if len(group) > 1 else ""
            best.append(f"{name}{rate_of(doc, p) / div:.1f} {unit} at size {p['size']}")
        samples = min(len(p["samples_s"]) for s in group for p in s["points"])
        lines.append(
            f"{md_escape(run['accelerator'].upper())} measured on **{md_escape(doc['machine'])}** "
            f"({md_escape(run['device_name'])}, {run['settings']['num_threads']} threads), "
            f"torch {md_escape(prov['torch'])}, {md_escape(prov['date_utc'][:10])}, "
            f"{built}, {md_escape(run['profile'])} profile; "
            f"best {'; '.join(best)}; at least {samples} samples a point."
        )
        reason = stale.get((doc["machine"], doc["example"], run["accelerator"]))
        if reason:
            lines[-1] += f" **Stale**: {md_escape(reason)}."
    if models:
        calibrated = any(m["calibrated"] for m in models)
        lines.append(
            "No GPU has run this benchmark on this machine yet. Grey dashed lines (dotted where "
            "data crosses PCIe) are a **model**, not a measurement: the time the "
            f"{MODEL_GPU.name}'s datasheet allows for each call (its peak arithmetic rate or "
            "its memory bandwidth, whichever is slower for that call, plus one kernel launch, "
            "or where data crosses PCIe a waited-for call's fixed cost and the copy's time), "
            "a best case real GPUs approach from above"
            + (
                "; where a cited measurement shows the share of a peak that real code reaches, "
                "the model is scaled by it and called *calibrated*"
                if calibrated
                else ""
            )
            + ". The Sources page lists every figure it uses."
        )
        uses = sorted({u for m in models for u in line_uses(m)})
        lent = borrowed(MODEL_GPU, uses, models[0]["launch"])
        if lent:
            lines[-1] += (
                f" Borrowed from other GPUs, because no cited measurement of the {MODEL_GPU.name}"
                " gives them: "
                + "; ".join(f"the {p.what}, {p.text}, measured on the {p.row.gpu}" for p in lent)
                + "."
            )
    elif not any(s["run"]["accelerator"] == "gpu" for s in series):
        lines.append("No GPU has run this benchmark yet, so the figure shows the CPU alone.")
    if cited:
        lines.append(
            "Stars are GPU measurements **published elsewhere** (cited on the Sources page, with "
            "their tools and dates), not measured by this site: "
            + "; ".join(md_escape(str(m["label"]).split(": ", 1)[1]) for m in cited)
            + "."
        )
    lines.append(f"{_why_this_machine(machine, site)} The Results page compares every machine.")
    lines.append(_rounds_line(series))
    return folded_caption(_notice(own or series, models), lines, _plain(series, models, cited))


def _plain(series: list[Series], models: list[ModelLine], cited: list[dict[str, Any]]) -> str:
    """The figure's kinds of evidence in plain words, before the details that name them."""
    gpu = any(s["run"]["accelerator"] == "gpu" for s in series)
    said = ["solid lines were timed on a real machine"]
    if models:
        said.append(
            f"grey dashed and dotted lines are not measured: they are the fastest the "
            f"{models[0]['gpu'].name}'s datasheet allows, a best case real GPUs stay behind"
        )
    elif not gpu:
        said.append("no GPU has run it yet")
    if cited:
        said.append("stars were measured by others, on GPUs this site has not run")
    return "In plain words: " + "; ".join(said) + "."


def _what_ran(prov: Any, slug: str) -> str:
    """Which code ran: the commit, or where the example file was not committed as it ran, that
    file's content hash (a reader can hash the file to see whether it is the one measured)."""
    sha = prov.get("example_sha256")
    if sha:
        return (
            f"from an uncommitted version of `{EXAMPLES_DIR.as_posix()}/{md_escape(slug)}.py` "
            f"(content hash `{md_escape(sha)}`)"
        )
    commit = (prov.get("git_commit") or "unknown")[:10]
    dirty = " (uncommitted changes)" if prov.get("git_dirty") else ""
    return f"commit `{md_escape(commit)}`{dirty}"


def _why_this_machine(machine: str, site: str | None) -> str:
    """Which machine the figure shows, and by which rule: the site's own reference machine, or,
    where that machine has not measured this example, the rule applied to those that have."""
    if site is None or site == machine:
        return f"The figure shows the reference machine, {md_escape(machine)} ({RULE})."
    return (
        f"The figure shows the reference machine, {md_escape(machine)}: the site's reference "
        f"machine ({RULE}), {md_escape(site)}, has not measured this example, so the same rule "
        "chose among the machines that have."
    )


def _notice(series: list[Series], models: list[ModelLine]) -> str:
    """The caption's first line: the CPU's best trusted point against the GPU side's, named."""
    doc = series[0]["doc"]
    unit, div = rate_unit(doc)
    cpu = [s for s in series if s["run"]["accelerator"] == "cpu"]
    measured = [s for s in series if s["run"]["accelerator"] == "gpu"]
    # the GPU side: its measured lines, else the model's lines that keep the data on the GPU
    gpu: list[Line] = [*measured] or [m for m in models if not m["crosses_pcie"]]
    c_point = max((best_point(doc, s["points"]) for s in cpu), key=lambda p: rate_of(doc, p))
    c_rate = rate_of(doc, c_point)
    # named by its variant: "the CPU's best" alone read as a contradiction on a page that
    # quotes another example's higher number for the CPU
    text = (
        f"the CPU's {md_escape(c_point['variant'])} peaks at {number(c_rate / div)} {unit} "
        f"(size {c_point['size']:,})"
    )
    if not gpu:
        s = next(s for s in cpu if s["variant"] == c_point["variant"])
        small = s["points"][0]
        gain = c_rate / rate_of(doc, small)
        if gain < 1.5:  # flat: the size hardly matters, and "about 1x" says nothing
            return f"{text}, about its rate at the smallest size ({small['size']:,})."
        return f"{text}, {ratio(gain)} its rate at the smallest size ({small['size']:,})."
    like = c_point["variant"]  # like against like: a model line may stand for several variants
    same = [g for g in gpu if like in (key_of(g), *g["variant"].split(", "))] or gpu
    g_line, g_point = max(
        ((g, best_point(doc, g["points"])) for g in same), key=lambda gp: rate_of(doc, gp[1])
    )
    g_rate = rate_of(doc, g_point)
    who = (
        f"the measured {md_escape(measured[0]['run']['device_name'])}"
        if measured
        else f"the modelled {MODEL_GPU.name} (dashed)"
    )
    return (
        f"{text}; {who} reaches {number(g_rate / div)} {unit} "
        f"({md_escape(g_line['variant'])} at size {g_point['size']:,}), "
        f"{ratio(g_rate / c_rate)} the CPU's best."
    )


def _rounds_line(series: list[Series]) -> str:
    """How the points were measured, and how far their rounds agree."""
    summary = round_summary([p for s in series for p in s["points"]])
    if summary.rounds < 2:
        return "Points are medians; bars span the interquartile range."
    worst = summary.widest
    limit = f"{ROUND_DISAGREE_FRACTION:.0%}"
    agree = (
        f"{summary.disagree} of {summary.points} points have rounds more than {limit} apart "
        "(drawn with red bars)"
        if summary.disagree
        else f"every point's rounds agree within {limit}"
    )
    return (
        f"Each point is the median of {summary.rounds} rounds measured at different times in the "
        "sweep; "
        f"bars span the fastest to the slowest round; {agree}, the widest "
        f"{worst['round_spread']:.0%} ({md_escape(worst['variant'])} at size {worst['size']})."
    )
