"""The names the layers share, each written once: metrics, profiles, accelerators, folders.

Everything that validates, measures, draws or documents one of these reads it from here, so a
new metric or a moved folder is one edit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, get_args

# Each set of names is a Literal type, written once; its tuple is read from it, so the schema,
# the results' types and the code that loops over the names agree without a second list.

#: What a figure's throughput counts, and the field of a results point that holds it.
Metric = Literal["flops", "bytes", "items"]
METRICS: tuple[Metric, ...] = get_args(Metric)
METRIC_FIELDS: dict[str, str] = {"flops": "flops", "bytes": "bytes_moved", "items": "items"}
#: Axis unit of each metric; "items" is named by the example's ITEM_UNIT.
METRIC_UNITS = {"flops": "GFLOP/s", "bytes": "GB/s"}

#: The size sweeps every example defines, the short one first.
Profile = Literal["quick", "full"]
PROFILES: tuple[Profile, ...] = get_args(Profile)

#: The sides of a comparison the runner measures, whatever a GPU's backend (CUDA, ROCm, MPS).
Accelerator = Literal["cpu", "gpu"]
ACCELERATORS: tuple[Accelerator, ...] = get_args(Accelerator)
CPU, GPU = ACCELERATORS

#: `whygpu run --accelerator gpu` and `whygpu probe` exit with this when no GPU is visible;
#: the noxfile's gpu session turns it into a skip that prints the reason.
EXIT_NO_GPU = 3
#: `whygpu run --require-quiet` found other processes using the CPU.
EXIT_BUSY = 4
NO_GPU_REASON = "no CUDA or MPS device visible to torch"

#: Lower-case folder, example and variant names: safe in paths, URLs and HTML alike.
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")

#: Folders, relative to the repository root.
EXAMPLES_DIR = Path("examples")
RESULTS_DIR = Path("results")
#: Quick-profile runs kept only for how long the quick profile takes (results/ holds full runs,
#: and a run replaces its accelerator's): beside results/, read by whygpu.report.build.
RUNTIME_DIR = Path("benchmarks") / "runtime"
DOCS_DIR = Path("docs")
FIGURES_IN_DOCS = "assets/figures"  # inside docs/: the generated figures, tables and facts
FIGURES_DIR = DOCS_DIR / FIGURES_IN_DOCS
#: The figure machine of each example, and its CPU rates (whygpu.report.beside writes it, and
#: an executed example page compares its own run with it: whygpu.measure.beside).
FIGURE_MACHINE_FILE = "figure-machine.json"
SCHEMA_FILE = "results.schema.json"  # published beside the figures for contributors

#: The version of the results file format (whygpu.store.schema) this whygpu writes and reads.
#: 2 added rounds, the machine's load and the CPU's limits; 3, the CPU's vendor, family, model,
#: microarchitecture and speed-changing instruction sets (`whygpu upgrade` brings older files up).
SCHEMA_VERSION = 3
#: The "format" of a file from the site's Measure page (whygpu.store.browser), not a harness run.
BROWSER_FORMAT = "whygpu-browser-results"
#: Its version; store/browser.py's schema accepts exactly this one (a test holds them together).
BROWSER_VERSION = 1

#: How a page quotes a computed number: `{{ fact:matmul.cpu.fp32.best }}`.
FACT_MARKER = re.compile(r"\{\{\s*fact:([\w.\-]+)\s*\}\}")
