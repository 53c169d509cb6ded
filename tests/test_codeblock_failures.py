"""A failing shell block in README or docs is reported with what it ran and printed, also when
pytest-xdist runs the suite (the root conftest.py mends pytest-codeblocks' bare exit status)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

PAGE = """# A page

```bash
echo "about to fail"; echo "the reason" >&2; exit 3
```
"""


@pytest.mark.parametrize("spread", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_a_failing_bash_block_names_its_command_status_and_output(root, pytester, spread):
    pytester.makeconftest((root / "conftest.py").read_text(encoding="utf-8"))
    pytester.makefile(".md", page=PAGE)
    result = pytester.runpytest_subprocess("--codeblocks", "-p", "no:cacheprovider", *spread)
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "INTERNALERROR" not in out
    assert "exited with status 3" in out
    assert "about to fail" in out and "the reason" in out
