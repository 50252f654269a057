"""Fixtures shared across the test tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# Two pytest-xdist workers share two cores: a BLAS or OpenMP pool of two threads in each would
# oversubscribe them, and waiting threads spin (scikit-learn's KMeans ran 20 times slower). One
# thread per process, set before NumPy loads; inherited by the subprocesses tests start.
for _pool in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_pool, "1")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Property tests check values, not speed: a loaded 2-core CI machine must not fail them on time.
# `make test` runs 50 examples per property (tests that set max_examples keep theirs): the
# examples are drawn afresh each run, so runs add up. HYPOTHESIS_PROFILE=thorough draws 1000.
settings.register_profile("benchlearn", deadline=None, max_examples=50)
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "benchlearn"))

# ../shared beside the repository; BENCHLEARN_SHARED points elsewhere (e.g. from a git worktree).
SHARED_DIR = Path(
    os.environ.get("BENCHLEARN_SHARED") or Path(__file__).resolve().parents[1].parent / "shared"
)
NIST_DIR = SHARED_DIR / "data" / "nist_strd"


@pytest.fixture(scope="session")
def nist_certified() -> dict:
    """NIST StRD certified values, read in place from ../shared (skipped where it is absent).

    Each dataset's entry gains a ``data`` key: its observations as a DataFrame.
    """
    import pandas as pd

    path = NIST_DIR / "certified.json"
    if not path.exists():
        pytest.skip(f"NIST StRD data not found at {NIST_DIR} (the shared/ folder beside the repo)")
    datasets = json.loads(path.read_text())["datasets"]
    for spec in datasets.values():
        spec["data"] = pd.read_csv(NIST_DIR / spec["csv"])
    return datasets


class NistScore:
    """Building the NIST StRD designs and scoring a fit's certified values in digits."""

    @staticmethod
    def log_relative_error(estimate: float, certified: str) -> float:
        """Correct significant digits (NIST's LRE; log absolute error for a certified 0)."""
        from decimal import Decimal

        c = Decimal(certified)
        e = Decimal(repr(float(estimate)))
        if c == 0:
            return 16.0 if e == 0 else float(-abs(e).log10())
        error = abs(e - c) / abs(c)
        return 16.0 if error == 0 else float(-error.log10())

    @staticmethod
    def raw_design(spec: dict):
        """The predictors as a DataFrame (polynomials as raw powers ``x^1 .. x^d``) and y."""
        import pandas as pd

        data = spec["data"]
        design = spec["design"]
        if design["type"] == "polynomial":
            x = data["x"].to_numpy()
            X = pd.DataFrame({f"x^{k}": x**k for k in range(1, design["degree"] + 1)})
        else:
            X = data[design["predictors"]]
        return X, data["y"]

    def digits(self, model, spec: dict) -> dict[str, float]:
        """The fewest correct digits over each kind of certified value."""
        params = model.params_
        lre = self.log_relative_error
        return {
            "coefficients": min(map(lre, params["estimate"], spec["coefficients"])),
            "coefficient_sds": min(map(lre, params["std_error"], spec["coefficient_sds"])),
            "residual_sd": lre(model.residual_std_, spec["residual_sd"]),
            "r_squared": lre(model.r2_, spec["r_squared"]),
        }

    @staticmethod
    def required(name: str) -> float:
        """Digits every path must reach: 13, and 7.5 for Filip in raw float64 powers."""
        return 7.5 if name == "Filip" else 13.0


@pytest.fixture(scope="session")
def nist_score() -> NistScore:
    """Helpers to fit the NIST StRD designs and score the results (see :class:`NistScore`)."""
    return NistScore()


# --- running the `benchlearn` command ------------------------------------------------------


@dataclass(frozen=True)
class Completed:
    """What a run of the command left: exit status and the two output streams."""

    returncode: int
    stdout: str
    stderr: str


def invoke(*args: str, columns: int | None = None) -> Completed:
    """``benchlearn ARGS`` in this process, through ``main`` (so user errors exit 2 as installed).

    Standard output and error are captured separately by CliRunner's isolation; ``columns``
    sets the terminal width rich lays the tables out for (default 80, as in a pipe).
    """
    from typer.testing import CliRunner

    from benchlearn.cli.main import main

    env = {"COLUMNS": str(columns or 80)}
    with CliRunner().isolation(env=env) as (stdout, stderr, _):
        try:
            main(list(args))
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
        sys.stdout.flush()  # what print() left in the isolation's text buffers
        sys.stderr.flush()
        out, err = stdout.getvalue().decode(), stderr.getvalue().decode()
    return Completed(code, out, err)


def run_installed(*args: str, columns: int | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m benchlearn.cli.main ARGS`` in a new process: the command end to end."""
    env = {**os.environ} if columns is None else {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run(
        [sys.executable, "-m", "benchlearn.cli.main", *args],
        capture_output=True, text=True, check=False, env=env, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="session")
def cli() -> Callable[..., Completed]:
    """Run ``benchlearn`` in-process: ``cli("fit", FILE, "--y", "A562")``."""
    return invoke


@pytest.fixture(scope="session")
def installed() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``benchlearn`` end to end in a new Python process."""
    return run_installed


# --- the browser -----------------------------------------------------------------------------

# Debian's Chromium; the networking flags stop it calling home at start (see BROWSER.md).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Debian Chromium for every browser test of a pytest process.

    Playwright's sync API cannot start while another instance runs in the same process, so
    every browser test takes its pages from this one browser rather than launching its own.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests get one more try: on a loaded 2-core machine a served page sometimes misses
    a click or answers after a wait runs out. A second failure still fails the run, and a rerun
    is reported as such (``R`` in the progress line)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=2))


# --- which worker runs what --------------------------------------------------------------

# `make test` runs ``pytest -n 2 --dist loadfile``: each test file stays whole on one worker, so
# its module fixtures are built once. Two larger units on top: the lesson's browser files share
# one worker, so Chromium starts and the lesson is served and loaded once there (``lesson_page``),
# and the lesson's other files share one, so the app is imported and run at default widgets once
# (``lesson_run``) and its later runs (other widgets, the handout) reuse the caches that run filled.
LESSON_IN_CHROMIUM = "tests/lessons/test_browser*.py"
LESSON_IN_PROCESS = "tests/lessons/ (the others)"


def work_unit(path: str) -> str:
    """The work unit of a test file (its path from the root): the file, or a lesson group."""
    folder, _, name = path.rpartition("/")
    if folder != "tests/lessons":
        return path
    return LESSON_IN_CHROMIUM if name.startswith("test_browser") else LESSON_IN_PROCESS


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``--dist loadfile`` with the two lesson groups of :func:`work_unit`, the browser group
    handed out first (it is the longest: the other workers fill in around it).

    (xdist's own ``--dist loadgroup`` cannot do this under pytest 9.2: it marks groups by
    rewriting test ids, which pytest 9.2 no longer allows; pytest-xdist issue 1386.)
    """
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LessonGroupScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(super()._split_scope(nodeid))

        def _assign_work_unit(self, node) -> None:
            if LESSON_IN_CHROMIUM in self.workqueue:
                self.workqueue.move_to_end(LESSON_IN_CHROMIUM, last=False)
            super()._assign_work_unit(node)

    return LessonGroupScheduling(config, log)
