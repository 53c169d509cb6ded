"""The harness's thresholds and counts, each written once: the measuring side applies them, and
the pages quote them through facts (`{{ fact:harness.busy_cores }}`), so prose and code cannot
drift apart. The results' checks (whygpu.store.plausible) hold every file's `noisy` and
`rounds_disagree` to the two fractions below, so changing one makes the committed files that it
would flag otherwise fail `whygpu validate`, naming each point: remeasure them, or set their flags
by the new rule in the same commit."""

from __future__ import annotations

#: Rounds per profile: each point is measured this many times, spread across the sweep.
ROUNDS = {"quick": 2, "full": 3}
#: Per profile, each round of a point times blocks of calls for at least this many seconds...
ROUND_SECONDS = {"quick": 0.1, "full": 0.4}
#: ... and takes at least this many samples (blocks), after this many untimed warm-up calls.
ROUND_SAMPLES = {"quick": 4, "full": 8}
WARMUP_CALLS = {"quick": 1, "full": 2}
#: Rounds whose medians differ by more than this fraction of the point's value disagree.
ROUND_DISAGREE_FRACTION = 0.10
#: A point whose samples' IQR is more than this fraction of its median is flagged noisy.
NOISY_IQR_FRACTION = 0.10
#: Other processes using more than this many cores make the machine busy.
BUSY_CORES = 0.25
#: How long the harness sits idle to sample what other processes use (seconds).
LOAD_SAMPLE_S = 0.5
#: A clock estimate outside these bounds (Hz) is refused.
CLOCK_BOUNDS_HZ = (0.3e9, 6.5e9)
#: ... and so is one more than this fraction above the maximum clock the OS reports.
OS_MAX_SLACK = 0.10
#: Independent FMA chains per core in the peak probe: more than units x FMA latency (2 x 4).
FMA_CHAINS = 12
#: Cycles of one x86-64 `imul r64, r64`: Intel since Sandy Bridge, AMD since Zen 1.
IMUL_LATENCY_CYCLES = 3
#: The clock is the highest of this many readings of the multiply probe (another process dips
#: a reading, never raises it)...
CLOCK_READINGS = 5
#: ... rounded down to this step (Hz). Readings of one core spread by up to 1%; on a step of
#: 100 MHz two calls land on the same step, so the peak is the same every time, and rounding
#: down keeps it a clock the core reached, understated by less than one step.
CLOCK_STEP_HZ = 100e6
#: The FMA probe is read up to this many times until it counts a whole number of units; a probe
#: that never does gives way to the ISA table's count, and the record says so.
FMA_TRIES = 5


def round_spread(rounds: list[float], median: float) -> float:
    """How far a point's rounds lie apart, as a fraction of its value: (slowest - fastest) / it."""
    return (max(rounds) - min(rounds)) / median


def rounds_disagree(spread: float) -> bool:
    """The rounds disagree: the point's value depends on when it was measured."""
    return spread > ROUND_DISAGREE_FRACTION


def noisy(iqr: float, median: float) -> bool:
    """The samples inside a round scattered."""
    return iqr > NOISY_IQR_FRACTION * median
