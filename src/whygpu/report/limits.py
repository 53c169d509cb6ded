"""Each machine's CPU roofs, as its runs recorded them: the compute peak (cores x FLOPs per
cycle x clock) and the memory bandwidth of a triad, beside its best measured matrix multiply.
Shared by the roofline, the tables and the facts, so all three quote the same numbers."""

from __future__ import annotations

from typing import Any

from whygpu.report.series import best_point


def cpu_limits(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per machine, the limits its newest CPU run recorded (peak and triad), where any did."""
    newest: dict[str, tuple[str, dict[str, Any]]] = {}
    for doc in docs:
        for run in doc["runs"]:
            limits = run["cpu_limits"]
            date = run["provenance"]["date_utc"]
            if limits and date >= newest.get(doc["machine"], ("", {}))[0]:
                newest[doc["machine"]] = (date, limits)
    return {m: limits for m, (_, limits) in newest.items()}


def cpu_ceilings(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per machine: the compute and memory ceilings (GFLOP/s, GB/s), whether they are the
    hardware's ("hardware") or only its best points ("best measured"), and its best FP32
    matrix multiply."""
    best: dict[str, dict[str, float]] = {}
    for doc in docs:
        for run in doc["runs"]:
            if run["accelerator"] != "cpu":
                continue
            ok = [p for p in run["points"] if p["status"] == "ok"]
            c = best.setdefault(doc["machine"], {})
            if doc["example"] == "matmul":
                fp32 = [p for p in ok if p["variant"] == "fp32"]
                if fp32:
                    p = best_point(doc, fp32)
                    c["gflops"] = p["flops"] / p["median_s"] / 1e9
            if doc["example"] == "elementwise" and ok:
                largest = max(ok, key=lambda p: p["size"])
                c["gbps"] = largest["bytes_moved"] / largest["median_s"] / 1e9
    limits = cpu_limits(docs)
    out = {}
    for machine, c in best.items():
        if machine in limits:
            out[machine] = {
                "gflops": limits[machine]["peak"]["flops"] / 1e9,
                "gbps": limits[machine]["memory_bytes_per_s"]["value"] / 1e9,
                "kind": "hardware",
                "best": c.get("gflops"),
            }
        elif {"gflops", "gbps"} <= set(c):
            out[machine] = {**c, "kind": "best measured", "best": c["gflops"]}
    return out
