"""CPUs named by what explains their speed: the generation their family and model numbers name
(the Linux kernel's tables), and the instruction sets that change a core's work per cycle."""

from __future__ import annotations

import pytest

from whygpu.contract.cpus import AMD, INTEL, isa_text, microarchitecture, speed_isa


@pytest.mark.parametrize(
    ("vendor", "family", "model", "name"),
    [
        (AMD, 0x17, 0x01, "Zen"),  # Naples
        (AMD, 0x17, 0x31, "Zen 2"),  # Rome
        (AMD, 0x19, 0x01, "Zen 3"),  # Milan: the site's "family 25 model 1" machine
        (AMD, 0x19, 0x11, "Zen 4"),  # Genoa: family 25 model 17
        (AMD, 0x19, 0xA0, "Zen 4"),  # Bergamo
        (AMD, 0x1A, 0x02, "Zen 5"),  # Turin: family 26 model 2
        (INTEL, 6, 0x8F, "Sapphire Rapids"),
        (INTEL, 6, 0xCF, "Emerald Rapids"),
        (INTEL, 6, 0x55, "Skylake-SP or Cascade Lake"),
    ],
)
def test_family_and_model_name_the_generation(vendor, family, model, name):
    assert microarchitecture(vendor, family, model) == name


@pytest.mark.parametrize(
    ("vendor", "family", "model"),
    [(AMD, 0x19, 0xFF), (INTEL, 6, 0x01), ("Apple", 0, 0), (None, 25, 17), (AMD, None, 17)],
)
def test_what_the_table_lacks_is_unknown_never_a_guess(vendor, family, model):
    assert microarchitecture(vendor, family, model) is None


def test_only_speed_changing_sets_are_kept_in_a_fixed_order():
    flags = ["sse4_2", "AVX512F", "avx512_bf16", "fma", "avx2", "aes", "avx512bw"]
    assert speed_isa(flags) == ["avx2", "fma", "avx512f", "avx512_bf16"]
    assert isa_text(speed_isa(flags)) == "AVX2, FMA, AVX-512, AVX512-BF16"
    assert speed_isa([]) == []
