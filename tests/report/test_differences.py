"""The Results page tells machines apart: each CPU's microarchitecture and speed-changing
instruction sets, and for each pair the largest differences with what in the records explains
them, or that nothing recorded does."""

from __future__ import annotations

import copy

from whygpu.report import differences

FILE = differences.FILE


def _machine(make, name: str, times: tuple[float, float], **cpu) -> dict:
    doc = make.doc("matmul", machine=name, runs=[make.run(times=times)])
    doc["runs"][0]["provenance"]["cpu"].update(cpu)
    return doc


def _bf16(doc: dict) -> dict:
    for p in doc["runs"][0]["points"]:
        if p["status"] == "ok":
            p["params"]["dtype"] = "bfloat16"
    return doc


def test_each_machine_is_named_by_microarchitecture_and_instruction_sets(make):
    text = differences.render([make.doc()])[FILE]
    row = next(line for line in text.splitlines() if line.startswith("| other-cpu-8c"))
    assert "Sapphire Rapids \\(family 6, model 143\\)" in row
    assert "AVX2, FMA, AVX-512, AVX512-BF16, AMX-BF16" in row


def test_a_missing_bf16_unit_explains_a_bf16_gap(make):
    fast = _bf16(_machine(make, "with-bf16", (0.001, 0.002)))
    slow = _bf16(_machine(make, "without-bf16", (0.004, 0.008), isa=["avx2", "fma", "avx512f"]))
    text = differences.render([fast, slow])[FILE]
    assert "with-bf16 4× faster; only with-bf16 has AVX512-BF16, AMX-BF16" in text


def test_the_same_cpu_puts_a_gap_down_to_the_run(make):
    a = _machine(make, "box-a", (0.002, 0.004))
    b = _machine(make, "box-b", (0.003, 0.006))
    text = differences.render([a, b])[FILE]
    assert "box-a 1.5× faster; the same microarchitecture and instruction sets" in text


def test_another_generation_is_named_where_instruction_sets_agree(make):
    a = _machine(
        make, "new-box", (0.002, 0.004), microarchitecture="Granite Rapids", model_number=173
    )
    b = _machine(make, "old-box", (0.004, 0.008))
    text = differences.render([a, b])[FILE]
    assert "Granite Rapids \\(family 6, model 173\\) against Sapphire Rapids" in text


def test_unrecorded_cpus_fall_back_to_what_torch_saw_or_say_nothing_explains(make):
    a = _machine(make, "old-a", (0.002, 0.004), isa=None, microarchitecture=None)
    b = _machine(make, "old-b", (0.004, 0.008), isa=None, microarchitecture=None)
    b["runs"][0]["provenance"]["cpu_capability"] = "AVX2"
    text = differences.render([a, b])[FILE]
    assert "not recorded \\(torch saw AVX512\\)" in text
    assert "torch ran its AVX512 kernels on old-a and its AVX2 ones on old-b" in text
    b["runs"][0]["provenance"]["cpu_capability"] = "AVX512"
    assert "not recorded well enough to say why" in differences.render([a, b])[FILE]


def test_a_point_whose_rounds_disagree_is_never_the_largest_difference(make):
    a = _machine(make, "box-a", (0.002, 0.004))
    b = _machine(make, "box-b", (0.010, 0.005))
    flagged = copy.deepcopy(b)
    flagged["runs"][0]["points"][0]["rounds_disagree"] = True  # size 8: 5x apart, but flagged
    text = differences.render([a, flagged])[FILE]
    assert "at 16:" in text and "at 8:" not in text
