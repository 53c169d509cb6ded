"""The model drawn where no GPU has run a benchmark: the datasheet's peaks, calibrated by a
measured share of peak where one is cited, plus fixed costs taken from cited measurements.

One call of F FLOPs on B bytes takes

    max(F / (peak x share), B / memory bandwidth) + one launch
    (+ a synchronizing call's fixed cost and B / (link x share) where data crosses PCIe)

It is a best case a real GPU approaches from above in time, drawn grey and dashed and labelled
"model" ("calibrated model" where a cited share scales it), never as a measurement.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from whygpu.contract.datasheet import MODEL_GPU, PCIE_GBPS, Gpu, products_named
from whygpu.contract.meaning import Declared, ExampleMeaning
from whygpu.report import cited
from whygpu.report.declared import or_default
from whygpu.report.lines import ModelLine, ModelPoint, Series
from whygpu.store.types import ResultsDoc

#: One kernel launch: the cited per-launch cost of a chain of launches, until a GPU run here
#: measures one (launch_row).
LAUNCH_ROW = cited.of("launch")[0]
LAUNCH_S = LAUNCH_ROW.value * 1e-6
#: A call that waits for its result queues three operations (copy in, kernel, copy back), each
#: at the cost of a launch with its share of a sync.
SYNC_CALLS = 3
SYNC_CALL_S = SYNC_CALLS * LAUNCH_S


def launch_row(docs: Sequence[ResultsDoc], declared: Declared | None = None) -> cited.Cited:
    """The launch cost the model uses: a GPU run's here, where an example's variant declares
    that it measures one (its smallest size, newest run first), else the cited row.

    A run on the model GPU's own product makes it the model's own number; a run on another GPU
    is still borrowed, and named so, like the cited one."""
    declared = or_default(declared)
    found = []
    for doc in docs:
        for run in doc["runs"]:
            if run["accelerator"] != "gpu":
                continue
            for p in run["points"]:
                said = declared.variant(doc["example"], p["variant"]).measures
                if said == "launch" and p["status"] == "ok":
                    found.append((run["provenance"]["date_utc"], -p["size"], doc, run, p))
    if not found:
        return LAUNCH_ROW
    date, _, doc, run, p = max(found, key=lambda f: (f[0], f[1]))
    products = products_named(run["device_name"])
    return cited.Cited(
        gpu=run["device_name"],
        quantity="launch",
        value=p["median_s"] * 1e6,
        tool=f"this site's {doc['example']} example, {p['variant']} at size {p['size']}",
        stack=f"torch {run['provenance']['torch']}",
        date=date[:10],
        url=f"../../results/{doc['machine']}/{doc['example']}.json",
        note="measured here: one queued operation's time per call",
        datasheet=products[0].key if products else None,
    )


def short_gpu(name: str) -> str:
    """A GPU's name as a line's label says it: "A100 80GB SXM", not "NVIDIA A100 80GB SXM"."""
    return name.removeprefix("NVIDIA ").removeprefix("GeForce ")


def model_name(m: ModelLine) -> str:
    """A model line's short name, its GPU and kind of evidence first: "A100 calibrated model,
    bf16", "A100 model, matmul end to end", "A100 calibrated model, h2d-pinned"."""
    words = short_gpu(m["gpu"].name).split(" ")
    gpu = " ".join(words[:2]) if words[0] == "RTX" else words[0]
    kind = "calibrated model" if m["calibrated"] else "model"
    if m["variant"].startswith("PCIe"):  # a copy: the link's line, by what a GPU run measures
        what = m["key"]
    else:
        what = f"{m['of']} end to end" if m["crosses_pcie"] else m["variant"]
    return f"{gpu} {kind}, {what}"


@functools.cache
def shares(gpu: Gpu) -> dict[str, cited.Cited]:
    """The cited rows that calibrate `gpu`'s model: bf16 compute, and its PCIe link."""
    found = {q: cited.calibration(gpu.key, q) for q in ("matmul_bf16", "h2d_pinned")}
    return {q: row for q, row in found.items() if row is not None}


@dataclass(frozen=True)
class Parameter:
    """One number the model takes from a cited measurement, and which GPU it was measured on.

    A parameter measured on another GPU than the model's is *borrowed*: no measurement of the
    model's own product gives it, and the line's label and caption say so."""

    what: str  # how a reader names it: "launch cost", "PCIe share of the link"
    row: cited.Cited
    model: Gpu

    @property
    def borrowed(self) -> bool:
        return self.row.datasheet != self.model.key

    @property
    def text(self) -> str:
        if self.what == "launch cost":
            return f"{self.row.value:g} {self.row.unit}"
        return f"{self.row.share or 1:.0%}"

    @property
    def lender(self) -> str:
        """The GPU that measured it, as short as the legend needs it."""
        return self.row.gpu.removeprefix("NVIDIA ").removeprefix("GeForce ").split(" (")[0]


def parameters(gpu: Gpu, launch: cited.Cited = LAUNCH_ROW) -> dict[str, Parameter]:
    """What `gpu`'s model takes from cited rows, by use: "tensor", "link", "launch"."""
    found = {"tensor": "tensor-core share of peak", "link": "PCIe share of the link"}
    rows = shares(gpu)
    out = {
        use: Parameter(what, rows[q], gpu)
        for (use, what), q in zip(found.items(), ("matmul_bf16", "h2d_pinned"), strict=True)
        if q in rows
    }
    out["launch"] = Parameter("launch cost", launch, gpu)
    return out


def borrowed(
    gpu: Gpu,
    uses: Sequence[str] = ("tensor", "link", "launch"),
    launch: cited.Cited = LAUNCH_ROW,
) -> list[Parameter]:
    """The parameters among `uses` that `gpu`'s model borrows from another GPU."""
    found = parameters(gpu, launch)
    return [found[u] for u in uses if u in found and found[u].borrowed]


def borrowed_text(params: Sequence[Parameter]) -> str:
    """ "borrowed: launch cost (RTX 5070 Ti Laptop GPU)", or "" where none of `params` is."""
    lent = [p for p in params if p.borrowed]
    if not lent:
        return ""
    return "borrowed: " + ", ".join(f"{p.what} ({p.lender})" for p in lent)


def line_uses(line: ModelLine) -> list[str]:
    """Which cited parameters one model line's times rest on."""
    uses = ["launch"]
    if line["crosses_pcie"]:
        uses.append("link")
    if line["points"] and line["points"][0]["params"].get("dtype") == "bfloat16":
        uses.append("tensor")
    return uses


def model_time(
    gpu: Gpu,
    flops: float,
    bytes_moved: float,
    dtype: str = "float32",
    transferred: float = 0.0,
    launch_s: float = LAUNCH_S,
) -> tuple[float, bool]:
    """Seconds for one call, and whether a cited share calibrated it."""
    calibration = shares(gpu)
    tensor = dtype == "bfloat16" and gpu.bf16_tflops is not None
    calibrated = tensor and "matmul_bf16" in calibration
    compute_share = (calibration["matmul_bf16"].share or 1.0) if calibrated else 1.0
    compute = flops / (gpu.peak_flops(dtype) * compute_share)
    memory = bytes_moved / (gpu.memory_gbps * 1e9)
    if not transferred:
        return max(compute, memory) + launch_s, compute_share != 1
    link_share = calibration["h2d_pinned"].share if "h2d_pinned" in calibration else None
    link_share = link_share or 1.0
    pcie = transferred / (PCIE_GBPS[gpu.pcie_gen] * 1e9 * link_share)
    sync_call = SYNC_CALLS * launch_s
    return max(compute, memory) + sync_call + pcie, compute_share != 1 or link_share != 1


def model_lines(
    series: Sequence[Series],
    meaning: ExampleMeaning,
    launch: cited.Cited = LAUNCH_ROW,
    gpu: Gpu = MODEL_GPU,
) -> list[ModelLine]:
    """Model lines for the GPU side of a figure that has no measured GPU run: `gpu`'s, the
    site's model GPU unless a reader picks another in an interactive figure.

    For each measured CPU variant that computes (not a copy): the model GPU's time at the same
    sizes. Where the CPU run skipped a variant declared end to end of it, also the end-to-end
    model (inputs and result across PCIe). Where it skipped a copy declared `modelled_as` the
    link, the link's line at the sizes and bytes of the measured series. Training throughput
    (many kernels a step) gets no model: a roofline of one call would mislead there.
    """
    if not series or any(s["run"]["accelerator"] == "gpu" for s in series):
        return []
    if series[0]["doc"]["metric"] == "items":
        return []
    lines: list[ModelLine] = []
    skipped = {p["variant"] for s in series for p in s["run"]["points"] if p["status"] == "skipped"}
    for s in series:
        if meaning.of(s["variant"]).copies:
            continue  # a copy computes nothing: only the link model below stands for it
        dtype = str(s["points"][0]["params"].get("dtype", "float32"))
        launch_s = launch.value * 1e-6
        timed = [
            model_time(gpu, p["flops"], p["bytes_moved"], dtype, launch_s=launch_s)
            for p in s["points"]
        ]
        line = _model(s, s["variant"], timed, launch, gpu, crosses_pcie=False)
        same = next((m for m in lines if _same_times(m, line)), None)
        if same:  # e.g. a memory-layout variant: the model cannot tell them apart
            same["variant"] += f", {s['variant']}"
            continue
        lines.append(line)
        for wrapped in meaning.end_to_end(s["variant"]):
            if wrapped in skipped:
                e2e = [
                    model_time(gpu, p["flops"], p["bytes_moved"], dtype, p["bytes_moved"], launch_s)
                    for p in s["points"]
                ]
                lines.append(_model(s, wrapped, e2e, launch, gpu, crosses_pcie=True))
    for variant, said in meaning.variants.items():
        if said.modelled_as != "link" or variant not in skipped:
            continue
        base = series[0]  # a copy of the same bytes the measured series moved
        # a copy alone: the link's time and one synchronizing call, no kernel
        timed = [
            model_time(gpu, 0.0, 0.0, transferred=p["bytes_moved"], launch_s=launch.value * 1e-6)
            for p in base["points"]
        ]
        name = f"PCIe Gen{gpu.pcie_gen} x16 {said.copies}"
        # named after the link, its facts after what a GPU run measures
        lines.append(_model(base, name, timed, launch, gpu, crosses_pcie=True, key=variant))
    return lines


def _same_times(a: ModelLine, b: ModelLine) -> bool:
    """Whether two model lines are one line: the same time at the same sizes, alike calibrated."""
    return a["calibrated"] == b["calibrated"] and [
        (p["size"], p["median_s"]) for p in a["points"]
    ] == [(p["size"], p["median_s"]) for p in b["points"]]


def _model(
    s: Series,
    what: str,
    timed: list[tuple[float, bool]],
    launch: cited.Cited,
    gpu: Gpu,
    *,
    crosses_pcie: bool,
    key: str | None = None,
) -> ModelLine:
    """The model of `s`'s calls: its sizes and work, and one modelled time each."""
    points: list[ModelPoint] = [
        {
            "size": p["size"],
            "median_s": t,
            "flops": p["flops"],
            "bytes_moved": p["bytes_moved"],
            "items": p["items"],
            "params": p["params"],
        }
        for p, (t, _) in zip(s["points"], timed, strict=True)
    ]
    return {
        "doc": s["doc"],
        "variant": what,
        "key": key or what,  # stays when a variant the model cannot tell apart joins the label
        "of": s["variant"],
        "points": points,
        "calibrated": any(c for _, c in timed),
        "crosses_pcie": crosses_pcie,
        "launch": launch,
        "gpu": gpu,
    }
