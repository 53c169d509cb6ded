"""The chart on every example page: time per call and throughput against size, one line per
machine, accelerator and variant, with IQR bars, and the model lines dashed beside them."""

from __future__ import annotations

from typing import Any

import numpy as np

from whygpu.report.datasheet import MODEL_GPU
from whygpu.report.series import quartiles, rate_unit, variant_order, work_of
from whygpu.report.style import LINESTYLES, MARKERS, THEMES, rc_params, to_svg


def render(slug: str, series: list[dict[str, Any]], models: list[dict[str, Any]]) -> dict[str, str]:
    """The example's chart in each theme: `<slug>.svg` and `<slug>-dark.svg`."""
    return {
        f"{slug}{theme['suffix']}.svg": _draw(series, models, theme) for theme in THEMES.values()
    }


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


def _draw(series: list[dict[str, Any]], models: list[dict[str, Any]], theme: dict[str, Any]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    rc = rc_params(theme, "whygpu")
    doc = series[0]["doc"]
    rate_label, rate_div = rate_unit(doc)
    variants = variant_order(series)
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
            q = np.array([quartiles(p) for p in s["points"]])
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
