"""Everything that imports torch: hardware facts, devices, backend switches, timing, provenance,
processes, the runner and the self-check. Its output is a results file (whygpu.store)."""
