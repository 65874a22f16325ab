"""What the demo says to try next, written so that each line runs as printed.

Why not bare ``reconcile ...``: the quick start installs into ``.venv`` and runs
``.venv/bin/reconcile demo`` without activating it, so ``reconcile`` and ``sqlite-utils``
are not on ``PATH`` there, and ``serve`` needs Datasette, an extra (``[web]``) that a plain
``pip install .`` leaves out. ``paper-reconcile`` is not on PyPI, so the install line names
the source the project was installed from (pip records it in ``direct_url.json``), as the
quick start installed it: ``.venv/bin/pip install '.[web]'`` from the checkout.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

#: The distribution this package is installed as.
DISTRIBUTION = "paper-reconcile"


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def runnable(name: str) -> str:
    """How to run the console script ``name`` of this environment as typed in a shell: the
    bare name when ``PATH`` finds this environment's, else its path (``.venv/bin/reconcile``
    from the checkout)."""
    here = Path(sys.executable).parent / name
    if not here.exists():
        return name
    found = shutil.which(name)
    if found and os.path.realpath(found) == os.path.realpath(here):
        return name
    return _shown(here)


def _source() -> tuple[str, bool] | None:
    """The local folder the project was installed from, and whether as editable (``-e``);
    None when pip recorded none (installed from an index or a wheel)."""
    try:
        recorded = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
        info = json.loads(recorded or "null")
    except (metadata.PackageNotFoundError, ValueError):
        return None
    url = urlparse(info.get("url", "")) if isinstance(info, dict) else None
    if not url or url.scheme != "file" or "dir_info" not in info:
        return None
    folder = Path(unquote(url.path))
    shown = "." if folder == Path.cwd() else _shown(folder)
    return shown, bool(info["dir_info"].get("editable"))


def install_web() -> str:
    """The command that installs the ``[web]`` extra (Datasette) into this environment."""
    has_pip = (Path(sys.executable).parent / "pip").exists()
    pip = runnable("pip") if has_pip else f"{_shown(Path(sys.executable))} -m pip"
    source = _source()
    if source is None:
        return f"{pip} install '{DISTRIBUTION}[web]'"
    folder, editable = source
    return f"{pip} install {'-e ' if editable else ''}'{folder}[web]'"


def has_web() -> bool:
    """Whether Datasette (the ``[web]`` extra) is installed."""
    try:
        return importlib.util.find_spec("datasette") is not None
    except (ImportError, ValueError):
        return False


def try_next(db: Path, *, web: bool | None = None) -> str:
    """The demo's "Try next" lines for the database ``db``, each runnable as printed (see the
    module docstring); ``web``: whether Datasette is installed (found when None)."""
    reconcile, sqlite_utils = runnable("reconcile"), runnable("sqlite-utils")
    lines = [f"{reconcile} report --db {db} --format json --min-severity warning",
             f"{sqlite_utils} {db} \"select kind, severity, count(*) as n from discrepancies "
             f"group by kind, severity\" --table"]
    if not (has_web() if web is None else web):
        lines.append(f"{install_web()}    # Datasette, for serve")
    lines.append(f"{reconcile} serve --db {db}    # browse it in Datasette")
    return "Try next:\n" + "".join(f"  {line}\n" for line in lines).rstrip("\n")
