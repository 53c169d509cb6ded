"""The generated tables: the crossover finds the first size where the GPU is faster."""

from __future__ import annotations

from whygpu.contract.names import SCHEMA_VERSION
from whygpu.report import tables


def test_crossover_table_finds_the_first_faster_size():
    def run(acc, times, name):
        return {
            "accelerator": acc,
            "device": acc,
            "device_name": name,
            "profile": "quick",
            "provenance": {"date_utc": "2026-01-01T00:00:00+00:00", "torch": "2"},
            "settings": {"num_threads": 1},
            "points": [
                {
                    "variant": "matmul",
                    "size": n,
                    "status": "ok",
                    "flops": 2.0 * n**3,
                    "bytes_moved": 12.0 * n * n,
                    "items": 0.0,
                    "median_s": t,
                    "iqr_s": 0.0,
                    "samples_s": [t],
                    "calls_per_sample": 1,
                    "noisy": False,
                    "params": {},
                }
                for n, t in zip((16, 64, 256), times, strict=True)
            ],
        }

    doc = {
        "schema_version": SCHEMA_VERSION,
        "example": "crossover",
        "machine": "m",
        "benchmark_version": 1,
        "title": "t",
        "size_label": "n",
        "metric": "flops",
        "item_unit": None,
        "runs": [run("cpu", [1e-5, 1e-4, 1e-2], "CPU"), run("gpu", [1e-4, 1e-4, 1e-3], "GPU")],
    }
    table = tables.crossover_table([doc])
    assert "| matmul | m (CPU) | GPU, measured | n = 256 |" in table
    slow = {**doc, "runs": [doc["runs"][0], run("gpu", [1.0, 1.0, 1.0], "GPU")]}
    assert "not reached" in tables.crossover_table([slow])


def test_the_comparison_is_example_by_machine_and_quotes_one_number_per_quantity(rendered, root):
    import json

    from whygpu.store import files

    table = rendered["comparison-table.md"].splitlines()
    machines = {d["machine"] for d in files.load_all(root / "results")}
    header = table[0]
    assert all(m in header for m in machines) and header.count("|") == len(machines) + 2
    assert "accelerator" not in header and "device" not in header  # constant columns dropped
    assert not any(row.startswith("| crossover matmul ") for row in table)  # matmul fp32's row
    facts = json.loads(rendered["facts.json"])
    fp32 = next(row for row in table if row.startswith("| matmul fp32 |"))
    assert fp32.split("|")[2].strip().startswith(facts["matmul.cpu.fp32.best"]["text"])
