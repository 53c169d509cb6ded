"""Which CPU a machine has, in the words that explain its speed: the microarchitecture (from the
vendor, family and model numbers the CPU reports) and the instruction sets that change what a
core can do in a cycle.

Two machines that both call themselves "AMD EPYC, 2 cores" can differ twofold (a Zen 5 against
an older part, bf16 instructions or not); these names let the Results page say why. The tables
are the Linux kernel's, which names each generation by family and model ranges:
- AMD: `bsp_init_amd()` in arch/x86/kernel/cpu/amd.c (Zen 1 to Zen 5);
- Intel: arch/x86/include/asm/intel-family.h (the server parts a cloud machine runs).
Feature-based detection (archspec) names a virtual machine only by what its hypervisor shows,
which left this project's Zen 4 host as "x86_64_v4"; family and model survive virtualization.
"""

from __future__ import annotations

from collections.abc import Iterable

AMD = "AuthenticAMD"
INTEL = "GenuineIntel"

SOURCES = {
    AMD: "https://github.com/torvalds/linux/blob/master/arch/x86/kernel/cpu/amd.c",
    INTEL: "https://github.com/torvalds/linux/blob/master/arch/x86/include/asm/intel-family.h",
}

#: (vendor, family) -> [(first model, last model, name)], as the kernel lists them.
_GENERATIONS: dict[tuple[str, int], list[tuple[int, int, str]]] = {
    (AMD, 0x17): [
        (0x00, 0x2F, "Zen"),  # Zen and Zen+: the kernel counts both as Zen 1
        (0x30, 0x4F, "Zen 2"),
        (0x50, 0x5F, "Zen"),
        (0x60, 0x7F, "Zen 2"),
        (0x90, 0x91, "Zen 2"),
        (0xA0, 0xAF, "Zen 2"),
    ],
    (AMD, 0x19): [
        (0x00, 0x0F, "Zen 3"),
        (0x10, 0x1F, "Zen 4"),
        (0x20, 0x5F, "Zen 3"),
        (0x60, 0xAF, "Zen 4"),
    ],
    (AMD, 0x1A): [
        (0x00, 0x0F, "Zen 5"),
        (0x20, 0x2F, "Zen 5"),
        (0x40, 0x4F, "Zen 5"),
        (0x70, 0x7F, "Zen 5"),
    ],
    (INTEL, 6): [
        (0x3F, 0x3F, "Haswell"),
        (0x4F, 0x4F, "Broadwell"),
        (0x55, 0x55, "Skylake-SP or Cascade Lake"),  # one model number for both
        (0x6A, 0x6A, "Ice Lake-SP"),
        (0x6C, 0x6C, "Ice Lake-D"),
        (0x8F, 0x8F, "Sapphire Rapids"),
        (0xAD, 0xAE, "Granite Rapids"),
        (0xCF, 0xCF, "Emerald Rapids"),
    ],
}

#: The instruction sets that change how much a core does in a cycle, as py-cpuinfo and Linux
#: name their flags, with the names people use. Their order is the order a reader sees.
SPEED_ISA = {
    "avx2": "AVX2",
    "fma": "FMA",
    "avx512f": "AVX-512",
    "avx512_bf16": "AVX512-BF16",
    "amx_bf16": "AMX-BF16",
    "asimd": "NEON",
    "sve": "SVE",
}


#: The instruction sets that speed up work of one precision: bf16 work runs on bf16 units where
#: there are any, fp32 on the widest vectors with fused multiply-adds.
ISA_FOR_DTYPE = {"bfloat16": ("avx512_bf16", "amx_bf16"), "float32": ("avx512f", "avx2", "fma")}


def microarchitecture(vendor: str | None, family: int | None, model: int | None) -> str | None:
    """The generation a vendor's family and model numbers name; None where the table has none."""
    if vendor is None or family is None or model is None:
        return None
    for first, last, name in _GENERATIONS.get((vendor, family), []):
        if first <= model <= last:
            return name
    return None


def speed_isa(flags: Iterable[str]) -> list[str]:
    """Of a CPU's flags, the ones in SPEED_ISA, in its order."""
    have = {f.lower() for f in flags}
    return [flag for flag in SPEED_ISA if flag in have]


def isa_text(isa: Iterable[str]) -> str:
    """ "AVX2, FMA, AVX-512": the names people use."""
    return ", ".join(SPEED_ISA.get(flag, flag) for flag in isa)
