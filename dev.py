#!/usr/bin/env python3
"""Set-up and the two everyday jobs, with nothing but Python installed.

python3 dev.py run [foreman args…]   create .venv, install, migrate, run Foreman
python3 dev.py test [pytest args…]   create .venv, install, run ruff, mypy and the whole test suite
                                     (pytest in parallel, one worker per core; -n 0 for one process)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".foreman-installed"


def _python() -> str:
    return str(BIN / "python")


def setup() -> None:
    """Create the virtual environment and install the project when pyproject.toml changed."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    if not (BIN / "python").exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing Foreman and its dependencies …", flush=True)
    subprocess.run([_python(), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([_python(), "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(digest)


def run(args: list[str]) -> int:
    setup()
    return subprocess.call([_python(), "-m", "bot", *args], cwd=os.getcwd())


def _pytest_args(args: list[str]) -> list[str]:
    """The suite spread over one pytest-xdist worker per core; `-n 0` (or `-p no:xdist`) runs it in one
    process. Each worker has its own PostgreSQL database, SQLite template and temporary directories;
    `loadgroup` keeps a module whose tests share one expensive fixture on one worker."""
    if "no:xdist" in args:
        return args
    return ["-n", "auto", "--dist", "loadgroup", *args]


def test(args: list[str]) -> int:
    setup()
    steps = [
        [_python(), "-m", "ruff", "check", "bot", "storage", "tests", "bench", "dev.py"],
        [_python(), "-m", "ruff", "format", "--check", "bot", "storage", "tests", "bench", "dev.py"],
        [_python(), "-m", "mypy"],
        [_python(), "-m", "pytest", *_pytest_args(args)],
    ]
    for step in steps:
        print(
            "$", " ".join(Path(step[0]).name if i == 0 else part for i, part in enumerate(step)), flush=True
        )
        code = subprocess.call(step, cwd=ROOT)
        if code:
            return code
    return 0


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test", "setup"):
        print(__doc__)
        return 2
    job, args = sys.argv[1], sys.argv[2:]
    if job == "setup":
        setup()
        return 0
    return run(args) if job == "run" else test(args)


if __name__ == "__main__":
    sys.exit(main())
