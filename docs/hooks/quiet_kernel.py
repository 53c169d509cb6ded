"""MkDocs hook: run the example notebooks' kernels over encrypted transport, so that a build
prints no "Kernel is running over TCP without encryption" warning.

mkdocs-jupyter executes each example page in an IPython kernel that nbclient starts and talks to
over ZeroMQ on 127.0.0.1. ipykernel (7.x) warns, on the build's stderr, once per notebook, when
that traffic is not encrypted. The warning is right about the transport, so rather than hide
it, the kernels are started with CurveZMQ keys: jupyter_client provisions them when
`KernelManager.transport_encryption` is "auto" and the kernelspec declares "curve" (ipykernel's
does). mkdocs-jupyter reads the user's nbconvert configuration (`NbConvertApp.load_config_file`),
so this hook writes that one setting to a folder of its own and adds the folder to
JUPYTER_CONFIG_PATH. Where pyzmq lacks CurveZMQ or jupyter_client predates the setting, it does
nothing: older kernels do not warn, and "auto" would refuse to start one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

SETTING = {"KernelManager": {"transport_encryption": "auto"}}
_folder: list[Path] = []  # one per build process: `mkdocs serve` calls on_config on each rebuild


def _supported() -> bool:
    try:
        import zmq
        from jupyter_client.manager import KernelManager
    except ImportError:
        return False
    return (
        bool(zmq.has("curve"))
        and KernelManager.class_traits().get("transport_encryption") is not None
    )


def on_config(config):
    if not _supported():
        return config
    if not _folder:
        folder = Path(tempfile.mkdtemp(prefix="whygpu-jupyter-config-"))
        (folder / "jupyter_nbconvert_config.json").write_text(json.dumps(SETTING))
        _folder.append(folder)
    paths = [p for p in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    if str(_folder[0]) not in paths:
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(_folder[0]), *paths])
    return config


def on_shutdown():
    for folder in _folder:
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()
    _folder.clear()
