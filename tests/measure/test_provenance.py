"""What a run records about where it was measured: the truth about the checkout it ran from."""

from __future__ import annotations

import subprocess

import pytest

from whygpu.measure import provenance
from whygpu.measure.hardware import cpu_model, logical_cpus, physical_cores


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A committed checkout with the project's folders; the working directory for the test."""

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    for folder in ("examples", "src/whygpu", "results/m", "docs/assets/figures"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "examples" / "matmul.py").write_text("TITLE = 'x'\n")
    (tmp_path / "README.md").write_text("hi\n")
    git("add", ".")
    git("-c", "user.email=a@b", "-c", "user.name=t", "commit", "-qm", "start")
    monkeypatch.chdir(tmp_path / "examples")  # a run may start in a subfolder too
    return tmp_path


def test_a_clean_checkout_is_not_dirty(checkout):
    state = provenance.git_state()
    assert len(state["git_commit"]) == 40 and state["git_dirty"] is False


def test_an_untracked_example_makes_the_run_dirty(checkout):
    """The bug as found: an example measured before it was committed recorded a clean tree."""
    (checkout / "examples" / "softmax.py").write_text("TITLE = 'new'\n")
    assert provenance.git_state()["git_dirty"] is True


def test_an_untracked_module_under_src_makes_the_run_dirty(checkout):
    (checkout / "src" / "whygpu" / "new.py").write_text("")
    assert provenance.git_state()["git_dirty"] is True


def test_a_changed_tracked_file_makes_the_run_dirty(checkout):
    (checkout / "README.md").write_text("changed\n")
    assert provenance.git_state()["git_dirty"] is True


def test_the_runs_own_outputs_and_stray_notes_do_not(checkout):
    (checkout / "results" / "m" / "matmul.json").write_text("{}")
    (checkout / "docs" / "assets" / "figures" / "matmul.svg").write_text("<svg/>")
    (checkout / "notes.txt").write_text("scratch")
    assert provenance.git_state()["git_dirty"] is False


def test_outside_a_checkout_the_state_is_unknown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert provenance.git_state() == {"git_commit": None, "git_dirty": None}


def test_hardware_facts_are_plausible():
    assert cpu_model().strip()
    assert 1 <= physical_cores() <= (logical_cpus() or physical_cores())


def test_machine_name_is_a_safe_folder_name_from_the_hardware():
    from whygpu.contract.names import SAFE_NAME

    name = provenance.machine_name()
    assert SAFE_NAME.match(name)
    assert f"-{physical_cores()}c" in name


def test_a_generic_cpu_name_gets_its_family_and_model(monkeypatch):
    """A VM that calls every generation "AMD EPYC" must not put two of them in one folder."""
    from whygpu.measure import hardware

    monkeypatch.setattr(hardware, "cpu_model", lambda: "AMD EPYC")
    monkeypatch.setattr(hardware, "cpu_info", lambda: {"family": 26, "model": 2})
    assert hardware.cpu_kind() == "AMD EPYC f26m2"
    monkeypatch.setattr(hardware, "cpu_model", lambda: "Intel(R) Xeon(R) Platinum 8481C")
    assert hardware.cpu_kind() == "Intel(R) Xeon(R) Platinum 8481C"


def _sha(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[: provenance.HASH_DIGITS]


def test_a_committed_example_records_no_hash(checkout):
    assert provenance.example_hash(checkout / "examples" / "matmul.py") is None


def test_an_uncommitted_or_changed_example_records_its_content_hash(checkout):
    new = checkout / "examples" / "softmax.py"
    new.write_text("TITLE = 'new'\n")
    assert provenance.example_hash(new) == _sha(new)
    changed = checkout / "examples" / "matmul.py"
    changed.write_text("TITLE = 'changed'\n")
    assert provenance.example_hash(changed) == _sha(changed) != _sha(new)
    assert len(_sha(new)) == 10 and int(_sha(new), 16) >= 0


def test_an_example_outside_a_checkout_records_its_content_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    example = tmp_path / "softmax.py"
    example.write_text("TITLE = 'x'\n")
    assert provenance.example_hash(example) == _sha(example)
