"""Reports for the nonlinear tests: tables that tests leave in ``config.stash`` are printed in the
terminal summary (e.g. the NIST StRD digits per problem)."""

from __future__ import annotations

import pytest

REPORT_LINES = pytest.StashKey[list[str]]()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    lines = config.stash.get(REPORT_LINES, [])
    if lines:
        terminalreporter.section("nonlinear regression accuracy")
        for line in lines:
            terminalreporter.write_line(line)
