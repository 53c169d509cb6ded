"""whygpu: time the site's examples correctly, keep the results with their provenance, draw figures.

The package is the harness behind `nox -s benchmarks`; the examples themselves live in
`examples/` and stay plain PyTorch.
"""

__version__ = "0.1.0"  # the one home of the version: pyproject.toml reads it (hatch)
