"""Figures: results files in, SVG (light and dark), CSV and a caption snippet out.

One figure per example: time per call and throughput against size, one line per machine,
accelerator and variant, with IQR bars. Drawing is deterministic (fixed SVG ids, no timestamps,
pinned matplotlib), so the same results give byte-identical files and a test can tell when a
committed figure is stale. Nothing here touches a torch device.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from whygpu import results
from whygpu.gpu_peaks import MODEL_GPU, PCIE_GBPS, SYNC_CALL_OVERHEAD_S

THEMES = {
    "light": {
        "fg": "#1f2328",
        "grid": "#d0d7de",
        "suffix": "",
        # Okabe-Ito: stays distinct under the common kinds of colour blindness (a test checks)
        "colors": ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"],
    },
    "dark": {
        "fg": "#e6edf3",
        "grid": "#3d444d",
        "suffix": "-dark",
        "colors": ["#56b4e9", "#e69f00", "#009e73", "#cc79a7", "#f0e442", "#d55e00"],
    },
}
MARKERS = ["o", "s", "^", "D", "v", "P"]
LINESTYLES = ["-", "--", ":", "-."]
METRIC_AXIS = {"flops": "GFLOP/s", "bytes": "GB/s"}


def group_series(docs: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Group by example: one series per (machine, accelerator, variant), sorted by size."""
    by_example: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in docs:
        for run in doc["runs"]:
            by_variant: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for p in run["points"]:
                if p["status"] == "ok":
                    by_variant[p["variant"]].append(p)
            for variant, points in by_variant.items():
                points.sort(key=lambda p: p["size"])
                by_example[doc["example"]].append(
                    {"doc": doc, "run": run, "variant": variant, "points": points}
                )
    for series in by_example.values():
        order = {v: i for i, v in enumerate(_variant_order(series))}
        series.sort(
            key=lambda s: (s["doc"]["machine"], s["run"]["accelerator"], order[s["variant"]])
        )
    return by_example


def _variant_order(series: list[dict[str, Any]]) -> list[str]:
    """Variants in the order their points first appear (the example's VARIANTS order)."""
    seen: list[str] = []
    for s in series:
        for p in s["run"]["points"]:
            if p["variant"] not in seen:
                seen.append(p["variant"])
    return seen


def model_lines(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Datasheet model lines for the GPU side of a figure that has no measured GPU run.

    For each measured CPU variant: the model GPU's roofline time at the same sizes. Where the
    CPU run skipped a `<variant>-e2e` sibling, also the end-to-end model (inputs and result
    across PCIe). Where it skipped host-to-device copies, the PCIe line. Training throughput
    (many kernels a step) gets no model: a roofline of one call would mislead there.
    """
    if not series or any(s["run"]["accelerator"] == "gpu" for s in series):
        return []
    doc = series[0]["doc"]
    if doc["metric"] == "items":
        return []
    lines = []
    gpu = MODEL_GPU
    for s in series:
        skipped = {p["variant"] for p in s["run"]["points"] if p["status"] == "skipped"}
        sizes = [p["size"] for p in s["points"]]
        if s["variant"] == "host-copy":
            if any(v.startswith("h2d") for v in skipped):
                pcie = PCIE_GBPS[gpu.pcie_gen] * 1e9
                times = [p["bytes_moved"] / pcie + SYNC_CALL_OVERHEAD_S for p in s["points"]]
                lines.append(_model(s, f"PCIe Gen{gpu.pcie_gen} x16 host-to-device", sizes, times))
            continue
        dtype = str(s["points"][0].get("params", {}).get("dtype", "float32"))
        times = [gpu.model_time(p["flops"], p["bytes_moved"], dtype) for p in s["points"]]
        same = next((m for m in lines if m["sizes"] == sizes and m["times"] == times), None)
        if same:  # e.g. a memory-layout variant: the model cannot tell them apart
            same["variant"] += f", {s['variant']}"
            continue
        lines.append(_model(s, s["variant"], sizes, times))
        if f"{s['variant']}-e2e" in skipped:
            e2e = [
                gpu.model_time(p["flops"], p["bytes_moved"], dtype, transferred=p["bytes_moved"])
                for p in s["points"]
            ]
            lines.append(_model(s, f"{s['variant']}-e2e", sizes, e2e))
    return lines


def _model(s: dict[str, Any], what: str, sizes: list[int], times: list[float]) -> dict[str, Any]:
    points = [
        {**p, "median_s": t, "samples_s": [t]} for p, t in zip(s["points"], times, strict=True)
    ]
    return {
        "doc": s["doc"],
        "run": s["run"],
        "variant": what,
        "points": points,
        "model": True,
        "sizes": sizes,
        "times": times,
        "of": s["variant"],
    }


def _quartiles(point: dict[str, Any]) -> tuple[float, float]:
    q1, q3 = np.percentile(np.asarray(point["samples_s"], dtype=float), [25, 75])
    return float(q1), float(q3)


def work_of(doc: dict[str, Any], point: dict[str, Any]) -> float:
    """The amount the figure's throughput counts: FLOPs, bytes or items of one call."""
    return {"flops": point["flops"], "bytes": point["bytes_moved"], "items": point["items"]}[
        doc["metric"]
    ]


def rate_unit(doc: dict[str, Any]) -> tuple[str, float]:
    """Axis label and divisor for the throughput panel."""
    if doc["metric"] == "items":
        return f"{doc['item_unit']}/s", 1.0
    return METRIC_AXIS[doc["metric"]], 1e9


def _label(s: dict[str, Any], many_variants: bool) -> str:
    if s.get("model"):
        return f"model: {MODEL_GPU.name} datasheet, {s['variant']}"
    run = s["run"]
    threads = run["settings"]["num_threads"]
    where = (
        f"{run['device_name']}, {threads} threads"
        if run["accelerator"] == "cpu"
        else run["device_name"]
    )
    variant = f" {s['variant']}" if many_variants else ""
    return f"{run['accelerator'].upper()}{variant}: {where} ({s['doc']['machine']})"


def _rows(series: list[dict[str, Any]], models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for s in series + models:
        model = s.get("model", False)
        for p in s["points"]:
            q1, q3 = _quartiles(p)
            rows.append(
                {
                    "kind": "model" if model else "measured",
                    "machine": "datasheet" if model else s["doc"]["machine"],
                    "accelerator": "gpu" if model else s["run"]["accelerator"],
                    "device_name": MODEL_GPU.name if model else s["run"]["device_name"],
                    "variant": s["variant"],
                    "size": p["size"],
                    "median_s": f"{p['median_s']:.6g}",
                    "q1_s": f"{q1:.6g}",
                    "q3_s": f"{q3:.6g}",
                    "samples": 0 if model else len(p["samples_s"]),
                    "flops": f"{p['flops']:.6g}",
                    "bytes_moved": f"{p['bytes_moved']:.6g}",
                    "items": f"{p['items']:.6g}",
                    "gflop_per_s": f"{p['flops'] / p['median_s'] / 1e9:.6g}",
                    "gbyte_per_s": f"{p['bytes_moved'] / p['median_s'] / 1e9:.6g}",
                    "items_per_s": f"{p['items'] / p['median_s']:.6g}",
                    "noisy": str(p["noisy"]).lower(),
                }
            )
    return rows


def _csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _size_ticks(series: list[dict[str, Any]]) -> tuple[list[int], list[str]]:
    """Label every measured size when few; otherwise only the powers of two, so labels fit."""
    sizes = sorted({p["size"] for s in series for p in s["points"]})
    if len(sizes) > 8:
        powers = [s for s in sizes if s & (s - 1) == 0]
        sizes = powers if len(powers) >= 2 else sizes[::2]
        if len(sizes) > 10:
            sizes = sizes[:: len(sizes) // 8 + 1]
    return sizes, [_short(s) for s in sizes]


def _short(n: int) -> str:
    """1000 -> 1k, 1048576 -> 1M: tick labels that fit."""
    for div, suffix in ((1 << 30, "G"), (1 << 20, "M"), (1 << 10, "k")):
        if n >= div and n % div == 0:
            return f"{n // div}{suffix}"
    for div, suffix in ((10**9, "G"), (10**6, "M"), (10**3, "k")):
        if n >= div and n % div == 0:
            return f"{n // div}{suffix}"
    return str(n)


def rc_params(theme: dict[str, Any], salt: str) -> dict[str, Any]:
    """Matplotlib settings for one theme; a fixed hash salt keeps SVG ids deterministic."""
    return {
        "svg.hashsalt": salt,
        "svg.fonttype": "path",
        "font.size": 10,
        "text.color": theme["fg"],
        "axes.labelcolor": theme["fg"],
        "axes.edgecolor": theme["fg"],
        "xtick.color": theme["fg"],
        "ytick.color": theme["fg"],
        "grid.color": theme["grid"],
        "legend.frameon": False,
    }


def to_svg(fig: Any) -> str:
    """The figure as SVG text with no timestamp, closed afterwards."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "whygpu"})
    plt.close(fig)
    return re.sub(r"[ \t]+\n", "\n", buf.getvalue())


def _draw(series: list[dict[str, Any]], models: list[dict[str, Any]], theme: dict[str, Any]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    rc = rc_params(theme, "whygpu")
    doc = series[0]["doc"]
    rate_label, rate_div = rate_unit(doc)
    variants = _variant_order(series)
    devices = sorted({(s["doc"]["machine"], s["run"]["accelerator"]) for s in series})
    many_variants = len(variants) > 1
    with plt.rc_context(rc):
        fig, (ax_time, ax_rate) = plt.subplots(1, 2, figsize=(9.6, 4.6), layout="constrained")
        for s in series + models:
            if s.get("model"):  # drawn in the colour of the measured variant it models
                variant_index = variants.index(s["of"])
                device_index = 0
            else:
                device_index = devices.index((s["doc"]["machine"], s["run"]["accelerator"]))
                variant_index = variants.index(s["variant"])
            # colour and marker tell the variant apart, the dash pattern the device
            color = theme["colors"][(variant_index + device_index * len(variants)) % 6]
            sizes = np.array([p["size"] for p in s["points"]], dtype=float)
            med = np.array([p["median_s"] for p in s["points"]])
            q = np.array([_quartiles(p) for p in s["points"]])
            work = np.array([work_of(doc, p) for p in s["points"]]) / rate_div
            style = {
                "color": color,
                "marker": MARKERS[variant_index % len(MARKERS)],
                "linestyle": LINESTYLES[device_index % len(LINESTYLES)],
                "markersize": 4,
                "linewidth": 1.8,
                "capsize": 3,
                "label": _label(s, many_variants),
            }
            if s.get("model"):  # a model is not a measurement: dashed, hollow, no error bars
                style.update(
                    linestyle=(0, (5, 3)) if not s["variant"].endswith("-e2e") else (0, (1, 2)),
                    markerfacecolor="none",
                    linewidth=1.4,
                )
            ax_time.errorbar(
                sizes, med * 1e3, yerr=[(med - q[:, 0]) * 1e3, (q[:, 1] - med) * 1e3], **style
            )
            rate = work / med
            ax_rate.errorbar(
                sizes, rate, yerr=[rate - work / q[:, 1], work / q[:, 0] - rate], **style
            )
        size_label = doc["size_label"]
        ax_time.set(
            xscale="log",
            yscale="log",
            xlabel=size_label,
            ylabel="time per call (ms)",
            title="Time per call (lower is better)",
        )
        ax_rate.set(
            xscale="log",
            yscale="log" if doc["metric"] == "bytes" or models else "linear",
            xlabel=size_label,
            ylabel=rate_label,
            title="Throughput (higher is better)",
        )
        if doc["metric"] != "bytes" and not models:
            ax_rate.set_ylim(bottom=0)
        for ax in (ax_time, ax_rate):
            ax.grid(True, which="major", linewidth=0.6)
            ax.set_facecolor("none")
            ax.set_xticks(*_size_ticks(series))
            ax.xaxis.set_minor_locator(
                NullLocator()
            )  # log y keeps its minor labels on short ranges
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        handles, labels = ax_rate.get_legend_handles_labels()
        fig.legend(
            handles, labels, loc="outside lower center", ncols=min(2, len(labels)), fontsize=9
        )
        fig.patch.set_alpha(0)
        return to_svg(fig)


def md_escape(text: str) -> str:
    """Escape a results string for Markdown and HTML: strings from results are untrusted."""
    return re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", html.escape(text, quote=True))


def _caption(
    series: list[dict[str, Any]], models: list[dict[str, Any]], stale: dict[tuple, str]
) -> str:
    lines = []
    runs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for s in series:
        runs[(s["doc"]["machine"], s["run"]["accelerator"])].append(s)
    for group in runs.values():
        run, doc = group[0]["run"], group[0]["doc"]
        prov = run["provenance"]
        commit = (prov.get("git_commit") or "unknown")[:10]
        dirty = " (uncommitted changes)" if prov.get("git_dirty") else ""
        unit, div = rate_unit(doc)
        best = []
        for s in group:
            p = max(s["points"], key=lambda p: work_of(doc, p) / p["median_s"])
            name = f"{md_escape(s['variant'])} " if len(group) > 1 else ""
            best.append(
                f"{name}{work_of(doc, p) / p['median_s'] / div:.1f} {unit} at size {p['size']}"
            )
        samples = min(len(p["samples_s"]) for s in group for p in s["points"])
        lines.append(
            f"{md_escape(run['accelerator'].upper())} measured on **{md_escape(doc['machine'])}** "
            f"({md_escape(run['device_name'])}, {run['settings']['num_threads']} threads), "
            f"torch {md_escape(prov['torch'])}, {md_escape(prov['date_utc'][:10])}, "
            f"commit `{md_escape(commit)}`{dirty}, {md_escape(run['profile'])} profile; "
            f"best {'; '.join(best)}; at least {samples} samples a point."
        )
        reason = stale.get((doc["machine"], doc["example"], run["accelerator"]))
        if reason:
            lines[-1] += f" **Stale**: {md_escape(reason)}."
    if models:
        lines.append(
            f"No GPU has run this benchmark yet. Dashed lines are a **model**, not a measurement: "
            f"the {MODEL_GPU.name}'s datasheet peaks (roofline time, plus one kernel launch, or "
            "a synchronizing call's fixed cost and PCIe time where data crosses it), a best case "
            "real GPUs approach from above; the "
            "Sources page lists every figure it uses."
        )
    elif not any(s["run"]["accelerator"] == "gpu" for s in series):
        lines.append("No GPU has run this benchmark yet, so the figure shows the CPU alone.")
    lines.append("Points are medians; bars span the interquartile range.")
    return "\n".join(lines) + "\n"


def render(docs: list[dict[str, Any]], versions: dict[str, int] | None = None) -> dict[str, str]:
    """Every generated file's name and text, from validated results documents.

    `versions` maps each example to its current BENCHMARK_VERSION, to mark older runs stale.
    """
    from whygpu import facts, roofline, summaries

    versions = versions or {}
    stale = summaries.staleness(docs, versions)
    files: dict[str, str] = {}
    for slug, series in sorted(group_series(docs).items()):
        models = model_lines(series)  # computed once, drawn, tabulated and captioned
        for theme in THEMES.values():
            files[f"{slug}{theme['suffix']}.svg"] = _draw(series, models, theme)
        files[f"{slug}.csv"] = _csv(_rows(series, models))
        files[f"{slug}.caption.md"] = _caption(series, models, stale)
    files.update(roofline.render(docs))
    files.update(summaries.render(docs, versions))
    files.update(facts.render(docs))
    return files


def draw_all(results_dir: Path, out_dir: Path, examples_dir: Path = Path("examples")) -> list[Path]:
    """Redraw every figure and generated table from the results under `results_dir`."""
    from whygpu.summaries import current_versions

    docs = results.load_all(results_dir)
    if not docs:
        raise results.ResultsError(results_dir, "(folder)", "holds no results files")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render(docs, current_versions(examples_dir)).items():
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            results.write_atomic(path, text)
        written.append(path)
    return written
