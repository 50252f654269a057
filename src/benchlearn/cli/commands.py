"""Imports every sub-command module so that each registers its commands on ``app``.

Add one import line here per sub-command module (``benchlearn/cli/<name>.py``).
"""

from __future__ import annotations

from benchlearn.cli import (
    compare,  # noqa: F401
    curve,  # noqa: F401
    datasets,  # noqa: F401
    fit,  # noqa: F401
    lesson,  # noqa: F401
)
