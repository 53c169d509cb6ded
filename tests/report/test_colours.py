"""Figure colours stay apart for colour-blind readers, in both themes.

Each palette is passed through the Machado, Oliveira and Fernandes (2009) simulation of
protanopia, deuteranopia and tritanopia (severity 1), and every pair of colours must stay at
least MIN_DELTA_E apart in CIELAB (CIE76), where about 2.3 is just noticeable.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from whygpu.report.style import THEMES

MIN_DELTA_E = 15.0
SIMULATIONS = {
    "normal vision": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
WHITE = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray) -> np.ndarray:
    t = SRGB_TO_XYZ @ np.clip(rgb, 0, 1) / WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def closest_pair(colours: list[str], matrix: np.ndarray) -> tuple[float, str, str]:
    seen = {c: lab(matrix @ linear_rgb(c)) for c in colours}
    return min(
        (float(np.linalg.norm(seen[a] - seen[b])), a, b)
        for a, b in itertools.combinations(colours, 2)
    )


@pytest.mark.parametrize("vision", SIMULATIONS)
@pytest.mark.parametrize("theme", THEMES)
def test_palette_stays_distinct(theme, vision):
    distance, a, b = closest_pair(THEMES[theme]["colors"], SIMULATIONS[vision])
    assert distance >= MIN_DELTA_E, f"{theme}, {vision}: {a} and {b} are {distance:.1f} apart"


def test_the_check_rejects_a_red_green_palette():
    distance, *_ = closest_pair(["#d62728", "#2ca02c"], SIMULATIONS["deuteranopia"])
    assert distance < MIN_DELTA_E
