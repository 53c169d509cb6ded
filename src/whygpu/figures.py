"""Figures: results files in, SVG (light and dark), CSV and a caption snippet out.

Drawing is deterministic (fixed SVG ids, no timestamps, pinned matplotlib), so the same results
give byte-identical files and a test can tell when a committed figure is stale. Nothing here
touches a torch device.
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

THEMES = {
    "light": {
        "fg": "#1f2328",
        "grid": "#d0d7de",
        "suffix": "",
        "colors": ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00"],
    },
    "dark": {
        "fg": "#e6edf3",
        "grid": "#3d444d",
        "suffix": "-dark",
        "colors": ["#64b5f6", "#ef9a9a", "#a5d6a7", "#ce93d8", "#ffcc80"],
    },
}


def _series(docs: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Group runs by example: one series per (machine, accelerator), points sorted by size."""
    by_example: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in docs:
        for run in doc["runs"]:
            points = sorted(
                (p for p in run["points"] if p["status"] == "ok"), key=lambda p: p["size"]
            )
            if not points:
                continue
            by_example[doc["example"]].append({"doc": doc, "run": run, "points": points})
    for series in by_example.values():
        series.sort(key=lambda s: (s["doc"]["machine"], s["run"]["accelerator"]))
    return by_example


def _quartiles(point: dict[str, Any]) -> tuple[float, float]:
    q1, q3 = np.percentile(np.asarray(point["samples_s"], dtype=float), [25, 75])
    return float(q1), float(q3)


def _label(s: dict[str, Any]) -> str:
    run = s["run"]
    threads = run["settings"]["num_threads"]
    where = (
        f"{run['device_name']}, {threads} threads"
        if run["accelerator"] == "cpu"
        else run["device_name"]
    )
    return f"{run['accelerator'].upper()}: {where} ({s['doc']['machine']})"


def _rows(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for s in series:
        for p in s["points"]:
            q1, q3 = _quartiles(p)
            rows.append(
                {
                    "machine": s["doc"]["machine"],
                    "accelerator": s["run"]["accelerator"],
                    "device_name": s["run"]["device_name"],
                    "size": p["size"],
                    "median_s": f"{p['median_s']:.6g}",
                    "q1_s": f"{q1:.6g}",
                    "q3_s": f"{q3:.6g}",
                    "samples": len(p["samples_s"]),
                    "flops": f"{p['flops']:.6g}",
                    "bytes_moved": f"{p['bytes_moved']:.6g}",
                    "gflop_per_s": f"{p['flops'] / p['median_s'] / 1e9:.6g}",
                    "gbyte_per_s": f"{p['bytes_moved'] / p['median_s'] / 1e9:.6g}",
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


def _draw(series: list[dict[str, Any]], theme: dict[str, Any]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc = {
        "svg.hashsalt": "whygpu",
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
    with plt.rc_context(rc):
        fig, (ax_time, ax_rate) = plt.subplots(1, 2, figsize=(9.6, 4.2), layout="constrained")
        flops_based = any(p["flops"] > 0 for s in series for p in s["points"])
        for i, s in enumerate(series):
            color = theme["colors"][i % len(theme["colors"])]
            sizes = np.array([p["size"] for p in s["points"]], dtype=float)
            med = np.array([p["median_s"] for p in s["points"]])
            q = np.array([_quartiles(p) for p in s["points"]])
            work = (
                np.array([p["flops"] if flops_based else p["bytes_moved"] for p in s["points"]])
                / 1e9
            )
            style = {
                "color": color,
                "marker": "o",
                "markersize": 4,
                "linewidth": 1.8,
                "capsize": 3,
                "label": _label(s),
            }
            ax_time.errorbar(
                sizes, med * 1e3, yerr=[(med - q[:, 0]) * 1e3, (q[:, 1] - med) * 1e3], **style
            )
            rate = work / med
            ax_rate.errorbar(
                sizes, rate, yerr=[rate - work / q[:, 1], work / q[:, 0] - rate], **style
            )
        size_label = series[0]["doc"]["size_label"]
        ax_time.set(
            xscale="log",
            yscale="log",
            xlabel=size_label,
            ylabel="time per call (ms)",
            title="Time per call (lower is better)",
        )
        ax_rate.set_ylim(bottom=0)
        ax_rate.set(
            xscale="log",
            xlabel=size_label,
            ylabel="GFLOP/s" if flops_based else "GB/s",
            title="Throughput (higher is better)",
        )
        for ax in (ax_time, ax_rate):
            ax.grid(True, which="major", linewidth=0.6)
            ax.set_facecolor("none")
            ax.set_xticks(*_size_ticks(series))
            ax.minorticks_off()
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        handles, labels = ax_rate.get_legend_handles_labels()
        fig.legend(
            handles, labels, loc="outside lower center", ncols=min(2, len(labels)), fontsize=9
        )
        fig.patch.set_alpha(0)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "whygpu"})
        plt.close(fig)
    # Drop matplotlib's per-save comment lines and trailing spaces so output is stable.
    return re.sub(r"[ \t]+\n", "\n", buf.getvalue())


def _size_ticks(series: list[dict[str, Any]]) -> tuple[list[int], list[str]]:
    """Label every measured size when few; otherwise only the powers of two, so labels fit."""
    sizes = sorted({p["size"] for s in series for p in s["points"]})
    if len(sizes) > 8:
        powers = [s for s in sizes if s & (s - 1) == 0]
        sizes = powers if len(powers) >= 2 else sizes[::2]
    return sizes, [str(s) for s in sizes]


def _md(text: str) -> str:
    """Escape a results string for Markdown and HTML: strings from results are untrusted."""
    return re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", html.escape(text, quote=True))


def _caption(slug: str, series: list[dict[str, Any]]) -> str:
    lines = []
    for s in series:
        run, doc = s["run"], s["doc"]
        prov = run["provenance"]
        commit = (prov.get("git_commit") or "unknown")[:10]
        dirty = " (uncommitted changes)" if prov.get("git_dirty") else ""
        best = max(s["points"], key=lambda p: (p["flops"] or p["bytes_moved"]) / p["median_s"])
        unit, work = ("GFLOP/s", best["flops"]) if best["flops"] else ("GB/s", best["bytes_moved"])
        samples = min(len(p["samples_s"]) for p in s["points"])
        lines.append(
            f"{_md(run['accelerator'].upper())} measured on **{_md(doc['machine'])}** "
            f"({_md(run['device_name'])}, {run['settings']['num_threads']} threads), "
            f"torch {_md(prov['torch'])}, {_md(prov['date_utc'][:10])}, "
            f"commit `{_md(commit)}`{dirty}, {_md(run['profile'])} profile; "
            f"best {work / best['median_s'] / 1e9:.1f} {unit} at size {best['size']}, "
            f"at least {samples} samples a point."
        )
    accelerators = {s["run"]["accelerator"] for s in series}
    if "gpu" not in accelerators:
        lines.append("No GPU has run this benchmark yet, so the figure shows the CPU alone.")
    lines.append("Points are medians; bars span the interquartile range.")
    return "\n".join(lines) + "\n"


def render(docs: list[dict[str, Any]]) -> dict[str, str]:
    """Every generated file's name and text, from validated results documents."""
    files: dict[str, str] = {}
    for slug, series in sorted(_series(docs).items()):
        for theme in THEMES.values():
            files[f"{slug}{theme['suffix']}.svg"] = _draw(series, theme)
        files[f"{slug}.csv"] = _csv(_rows(series))
        files[f"{slug}.caption.md"] = _caption(slug, series)
    return files


def draw_all(results_dir: Path, out_dir: Path) -> list[Path]:
    """Redraw every figure from the results under `results_dir` into `out_dir`."""
    docs = results.load_all(results_dir)
    if not docs:
        raise results.ResultsError(results_dir, "(folder)", "holds no results files")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render(docs).items():
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            results.write_atomic(path, text)
        written.append(path)
    return written
