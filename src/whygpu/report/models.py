"""The datasheet model lines drawn where no GPU has run a benchmark: for each measured CPU
series, what the model GPU would take at the same sizes (see whygpu.report.datasheet)."""

from __future__ import annotations

from typing import Any

from whygpu.report.datasheet import MODEL_GPU, PCIE_GBPS, SYNC_CALL_OVERHEAD_S


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
    # a model has one value per size: no spread, no samples, never noisy
    points = [
        {**p, "median_s": t, "iqr_s": 0.0, "samples_s": [t], "noisy": False}
        for p, t in zip(s["points"], times, strict=True)
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
