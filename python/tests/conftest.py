"""Shared fixtures: the repository's shipped data and the `greenreach` binary."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def binary() -> pathlib.Path:
    b = os.environ.get("GREENREACH_BIN")
    if b:
        return pathlib.Path(b)
    return ROOT / "target" / "release" / "greenreach"


def run_cli(*args, cwd=ROOT):
    """Run the command line; return stdout, failing the test with stderr on error."""
    p = subprocess.run([str(binary()), *map(str, args)], cwd=cwd, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def cli():
    assert binary().exists(), f"build the binary first (cargo build --release): {binary()}"
    return run_cli
