"""An executed example page sets its own run beside the figure's machine in generated words:
both machines named, both rates at the size run, the ratio between variants on each, and the
instruction sets that change speed where one machine has them and the other lacks them."""

from __future__ import annotations

import json

import pytest

from whygpu.measure.beside import sentence, times
from whygpu.report import beside

FIGURE = {
    "matmul": {
        "machine": "zen4-2c",
        "cpu": {
            "model": "AMD EPYC",
            "microarchitecture": "Zen 4",
            "isa": ["avx2", "fma", "avx512f", "avx512_bf16"],
        },
        "threads": 2,
        "unit": "GFLOP/s",
        "per_unit": 1e9,
        "variants": {
            "fp32": {"dtype": "float32", "rate": {"1024": 180.0}, "flagged": []},
            "bf16": {"dtype": "bfloat16", "rate": {"1024": 400.0}, "flagged": []},
        },
    }
}
ZEN3 = {"isa": ["avx2", "fma"], "microarchitecture": "Zen 3"}


@pytest.fixture
def figure(tmp_path):
    path = tmp_path / "figure-machine.json"
    path.write_text(json.dumps(FIGURE), encoding="utf-8")
    return path


def test_a_machine_without_bf16_units_is_told_why_bf16_is_slow_here(figure):
    text = sentence("matmul", 1024, {"fp32": 54.0, "bf16": 9.0}, ZEN3, path=figure)
    assert "zen4-2c" in text and "Zen 4" in text
    assert "fp32 54 GFLOP/s here against 180 there" in text
    assert "Here bf16 runs at a sixth of fp32; there at 2.2× fp32." in text
    assert (
        "For bf16, this machine has no bf16 instructions; the figure's machine has AVX512-BF16."
        in text
    )


def test_alike_machines_get_no_instruction_set_clause(figure):
    text = sentence(
        "matmul", 1024, {"fp32": 170.0, "bf16": 390.0}, FIGURE["matmul"]["cpu"], path=figure
    )
    assert "instructions" not in text and "this machine has" not in text


def test_a_size_the_figure_lacks_a_gpu_run_and_no_data_say_so(figure, tmp_path):
    assert "no matmul point at size 77" in sentence("matmul", 77, {"fp32": 1.0}, ZEN3, path=figure)
    assert "used a GPU" in sentence("matmul", 1024, {"fp32": 1.0}, ZEN3, False, figure)
    assert "nox -s figures" in sentence("matmul", 1024, {"fp32": 1.0}, ZEN3, path=tmp_path / "x")


@pytest.mark.parametrize(
    ("r", "text"), [(1 / 6, "a sixth of"), (0.5, "half of"), (0.93, "93% of"), (2.24, "2.2×")]
)
def test_ratios_read_as_words(r, text):
    assert times(r) == text


def test_the_record_holds_each_examples_figure_machine_and_its_rates(make):
    doc = make.doc("matmul")
    record = json.loads(beside.render([doc])["figure-machine.json"])
    entry = record["matmul"]
    assert (
        entry["machine"] == doc["machine"]
        and entry["cpu"]["microarchitecture"] == "Sapphire Rapids"
    )
    point = doc["runs"][0]["points"][0]
    assert entry["variants"]["default"]["rate"][str(point["size"])] == pytest.approx(
        point["flops"] / point["median_s"] / 1e9, rel=1e-5
    )
