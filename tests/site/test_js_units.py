"""The Measure page's JavaScript has unit tests of its own (tests/js/, Node's test runner); this
runs them inside `nox -s tests`, so one command runs everything. The two facts the page cannot
read from measure.json are written in JavaScript and here checked against Python's own: the
reader's crossover (whygpu.report.crossover's rule, run on the same samples) and the FLOPs of
one product (the matmul example's work())."""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess

import pytest

from whygpu.contract import examples
from whygpu.contract.meaning import Declared, ExampleMeaning
from whygpu.report.crossover import crossing_text, crossovers

PLAN = "docs/measure/plan.js"
STATS = "docs/measure/stats.js"


@pytest.fixture(scope="module")
def node():
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "node is needed for the JavaScript unit tests under CI (.ci/run installs it)"
            )
        pytest.skip("node is not installed: the Measure page's unit tests need it")
    return found


def _js(node, root, script: str, data=None):
    """Run `script` (an ES module; `plan` and `stats` are the page's modules, `input` the JSON
    given) in node and return what it prints, as JSON."""
    prelude = (
        "import { pathToFileURL } from 'node:url';"
        "const [plan, stats] = await Promise.all(process.argv.slice(1, 3)"
        ".map((p) => import(pathToFileURL(p).href)));"
        "const input = JSON.parse(process.argv[3]);"
    )
    proc = subprocess.run(
        [node, "--input-type=module", "-e", prelude + script,
         str(root / PLAN), str(root / STATS), json.dumps(data)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_node_unit_tests_pass(root, node):
    proc = subprocess.run(
        [node, "--test", "tests/js/"], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout and "# pass " in proc.stdout


# -- the reader's crossover: one rule, in Python and in the page --------------------------------

SLUG = "sizes"  # a fixture example: the rule reads what an example declares, not its name
OP = "product"
DECLARED = Declared({SLUG: ExampleMeaning(variants={}, finds_crossover=True)})

#: (cpu, gpu): size -> samples (seconds), each point one round, as the page measures them
CASES = {
    "clear win": (
        {16: [1e-6, 1.1e-6, 1.2e-6], 64: [1e-4, 1.1e-4, 1.2e-4], 256: [1e-2] * 3},
        {16: [1e-5] * 3, 64: [2e-5, 3e-5, 4e-5], 256: [1e-4] * 3},
    ),
    "inside the noise, then settled": (
        {16: [1e-6] * 3, 64: [1.0, 1.2, 1.4, 1.6], 256: [10.0, 11.0, 12.0]},
        {16: [1e-3] * 3, 64: [0.9, 1.0, 1.1, 1.5], 256: [2.0, 3.0, 4.0]},
    ),
    # the GPU's q3 at 64 (1.2, interpolated) is above the CPU's q1 (1.15): not a sure win there
    "inside the noise, never settled": (
        {16: [1e-6] * 3, 64: [1.0, 1.2, 1.4, 1.6]},
        {16: [1e-3] * 3, 64: [0.9, 1.0, 1.1, 1.5]},
    ),
    "never": (
        {16: [1e-6], 64: [1e-5], 256: [1e-3]},
        {16: [1e-3], 64: [1e-3], 256: [1e-2]},
    ),
    "sizes only one side measured, and past a thousand": (
        {512: [1.0, 1.1], 1024: [8.0, 8.5, 9.0], 2048: [60.0, 61.0, 70.0]},
        {256: [1e-9], 1024: [7.0, 8.1, 8.6], 2048: [20.0, 21.0], 4096: [1e-9]},
    ),
}


def _random_cases(count: int = 40) -> dict[str, tuple[dict, dict]]:
    """CPU times growing as n^3, GPU times a fixed cost plus a faster n^3, both noisy, each side
    at its own random sizes: crossings anywhere in the sweep, some inside the noise."""
    rng = random.Random(22)
    sizes = [16, 32, 64, 128, 256, 512, 1024, 2048]

    def side(fixed: float, per_flop: float) -> dict[int, list[float]]:
        picked = sorted(rng.sample(sizes, rng.randint(2, len(sizes))))
        return {
            n: [(fixed + per_flop * n**3) * rng.uniform(0.6, 1.4) for _ in range(rng.randint(1, 6))]
            for n in picked
        }

    return {
        f"random {i}": (side(0.0, 1e-10), side(10 ** rng.uniform(-5, -2), 1e-12))
        for i in range(count)
    }


def _point(make, size: int, samples: list[float]) -> dict:
    """The fixture's point with these samples, in one round: its range is their quartiles."""
    median = statistics.median(samples)
    return {**make.point(size, median, OP), "samples_s": samples, "rounds_s": [median]}


def _python_rule(make, cpu: dict, gpu: dict) -> dict:
    runs = [
        {**make.run("cpu", "CPU"), "points": [_point(make, n, s) for n, s in cpu.items()]},
        {**make.run("gpu", "GPU"), "points": [_point(make, n, s) for n, s in gpu.items()]},
    ]
    rows = crossovers([make.doc(SLUG, "m", runs)], DECLARED)
    (row,) = [r for r in rows if r["kind"] == "measured"]
    return {
        "first": row["compute"],
        "sure": row["compute_sure"],
        "text": crossing_text(row, "compute"),
    }


def test_the_readers_crossover_follows_the_sites_rule(root, node, make):
    cases = {**CASES, **_random_cases()}
    python = {name: _python_rule(make, cpu, gpu) for name, (cpu, gpu) in cases.items()}
    given = {
        name: [[[n, s] for n, s in cpu.items()], [[n, s] for n, s in gpu.items()]]
        for name, (cpu, gpu) in cases.items()
    }
    page = _js(
        node,
        root,
        """
        const side = (points, name) => points.map(([size, samples]) =>
          ({ size, side: name, ...stats.summarize(samples) }));
        const out = {};
        for (const [name, [cpu, gpu]] of Object.entries(input)) {
          const found = plan.crossover(side(cpu, "cpu-wasm"), side(gpu, "gpu"));
          out[name] = { ...found, text: plan.crossingText(found) };
        }
        console.log(JSON.stringify(out));
        """,
        given,
    )
    assert page == python
    # the fixtures reach every outcome the rule has, so a drift in any branch shows
    outcomes = {
        (r["first"] is None, r["sure"] is None, r["first"] == r["sure"]) for r in python.values()
    }
    assert outcomes == {(True, True, True), (False, True, False), (False, False, True),
                        (False, False, False)}  # fmt: skip
    assert python["inside the noise, then settled"]["text"] == "about n = 64 to 256"
    assert python["sizes only one side measured, and past a thousand"]["first"] == 1024


# -- the FLOPs of one product -------------------------------------------------------------------


def test_the_pages_flops_are_the_matmul_examples(root, node):
    page = _js(
        node, root, "console.log(JSON.stringify(plan.SIZES.map((n) => [n, plan.matmulFlops(n)])));"
    )
    matmul = examples.load(root / "examples" / "matmul.py")
    assert len(page) >= 4, "the page sweeps sizes"
    assert page == [[n, matmul.work(n, "fp32").flops] for n, _ in page]
