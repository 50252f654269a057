"""Simulated lab experiments with known true parameters, so a learner can check a fit's answer.

Every generator takes ``random_state`` (same seed, same data) and returns a :class:`Dataset`
whose ``truth`` holds the parameters the data were generated from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchlearn.data.dataset import Dataset, register
from benchlearn.errors import UsageError

SIMULATED = "simulated by benchlearn (documented model, fixed seed)"


@register("protein_assay", "simulated", "BCA protein assay standard curve (absorbance vs BSA)")
def simulate_protein_assay(
    random_state: int = 0,
    *,
    standards: tuple[float, ...] = (0, 25, 125, 250, 500, 750, 1000, 1500, 2000, 3000, 4000),
    replicates: int = 3,
    blank: float = 0.10,
    initial_slope: float = 1.2e-3,
    saturation_constant: float = 20_000.0,
    noise_sd: float = 0.01,
    noise_cv: float = 0.02,
) -> Dataset:
    """Absorbance at 562 nm of BSA standards in a BCA protein assay, in replicate wells.

    Model: ``A = blank + a_max·c / (K + c)`` with ``a_max = initial_slope·K``: straight at low
    concentration, bending over as the colour reaction saturates. Noise: normal, with SD
    ``noise_sd + noise_cv·signal``.

    Defaults follow a microplate BCA assay: the kit's BSA standard series (25-2000 µg/mL) plus
    two higher standards to show saturation, a reagent blank near 0.1 AU, about 1.2 AU per
    mg/mL at low concentration, and well-to-well scatter of about 0.01 AU + 2%.
    ``truth["linear_range"]`` is the range where the curve stays within 5% of its initial
    straight line: up to ``K·0.05/0.95`` µg/mL (about 1050 µg/mL by default).
    """
    rng = np.random.default_rng(random_state)
    conc = np.repeat(np.asarray(standards, dtype=float), replicates)
    a_max = initial_slope * saturation_constant
    mean = blank + a_max * conc / (saturation_constant + conc)
    absorbance = mean + rng.normal(0, noise_sd + noise_cv * mean)
    frame = pd.DataFrame({"bsa_ug_per_ml": conc, "a562": np.round(absorbance, 4)})
    upper = saturation_constant * 0.05 / 0.95
    return Dataset(
        name="protein_assay",
        frame=frame,
        target="a562",
        features=["bsa_ug_per_ml"],
        description="One row per well: a BSA standard of known concentration and its absorbance "
        f"after the BCA reaction ({len(standards)} standards x {replicates} replicate wells).",
        columns={
            "bsa_ug_per_ml": "BSA standard concentration (µg/mL)",
            "a562": "absorbance at 562 nm (absorbance units, AU)",
        },
        source=SIMULATED,
        citation="Model after Smith P.K. et al. (1985), Measurement of protein using "
        "bicinchoninic acid, Anal. Biochem. 150, 76-85; standard series of the Pierce BCA kit.",
        truth={
            "blank": blank,
            "initial_slope": initial_slope,
            "a_max": a_max,
            "saturation_constant": saturation_constant,
            "linear_range": (0.0, upper),
            "noise_sd": noise_sd,
            "noise_cv": noise_cv,
        },
        kind="simulated",
    )


@register("qpcr_standard_curve", "simulated", "qPCR standard curve: Ct vs log10 copies")
def simulate_qpcr_standard_curve(
    random_state: int = 0,
    *,
    efficiency: float = 0.95,
    ct_at_one_copy: float = 38.0,
    log10_copies: tuple[float, ...] = (1, 2, 3, 4, 5, 6, 7),
    replicates: int = 3,
    noise_sd: float = 0.15,
) -> Dataset:
    """Threshold cycles of a ten-fold dilution series of a DNA standard, in technical replicates.

    Each cycle multiplies the template by ``1 + E`` (E the amplification efficiency, 1 = perfect
    doubling), so ``Ct = ct_at_one_copy + slope·log10(copies)`` with
    ``slope = -1 / log10(1 + E)``: -3.32 at 100% efficiency, -3.44 at 95% (the default).
    Technical replicates scatter by about 0.1-0.3 cycles; default SD 0.15.
    """
    rng = np.random.default_rng(random_state)
    slope = -1.0 / np.log10(1.0 + efficiency)
    logs = np.repeat(np.asarray(log10_copies, dtype=float), replicates)
    ct = ct_at_one_copy + slope * logs + rng.normal(0, noise_sd, logs.size)
    frame = pd.DataFrame({"copies": 10.0**logs, "log10_copies": logs, "ct": np.round(ct, 3)})
    return Dataset(
        name="qpcr_standard_curve",
        frame=frame,
        target="ct",
        features=["log10_copies"],
        description="One row per qPCR well: a standard of known copy number (ten-fold dilution "
        "series) and its threshold cycle.",
        columns={
            "copies": "template copies per reaction (copies)",
            "log10_copies": "log10 of the template copies per reaction (log10 copies)",
            "ct": "threshold cycle, Ct (cycles)",
        },
        source=SIMULATED,
        citation="Standard-curve model as in Bustin S.A. et al. (2009), The MIQE guidelines, "
        "Clin. Chem. 55, 611-622 (efficiency = 10^(-1/slope) - 1).",
        truth={
            "efficiency": efficiency,
            "slope": float(slope),
            "intercept": ct_at_one_copy,
            "noise_sd": noise_sd,
        },
        kind="simulated",
    )


@register("dose_response", "simulated", "Dose-response of an inhibitor (4-parameter logistic)")
def simulate_dose_response(
    random_state: int = 0,
    *,
    bottom: float = 0.0,
    top: float = 100.0,
    log10_ec50: float = -6.0,
    hill: float = 1.0,
    log10_doses: tuple[float, ...] = tuple(np.arange(-9.0, -3.5, 0.5)),
    replicates: int = 3,
    noise_sd: float = 5.0,
) -> Dataset:
    """Remaining enzyme activity (% of control) at increasing inhibitor concentrations.

    Four-parameter logistic (Hill) model:
    ``activity = bottom + (top - bottom) / (1 + 10^(hill·(log10_dose - log10_ec50)))``.
    Defaults: half-log dilutions from 1 nM to 100 µM in triplicate, IC50 = 1 µM, Hill slope 1,
    normal scatter of 5 percentage points (typical of plate-based enzyme assays).
    """
    rng = np.random.default_rng(random_state)
    log_dose = np.repeat(np.asarray(log10_doses, dtype=float), replicates)
    activity = bottom + (top - bottom) / (1 + 10 ** (hill * (log_dose - log10_ec50)))
    activity = activity + rng.normal(0, noise_sd, log_dose.size)
    frame = pd.DataFrame(
        {"dose_molar": 10**log_dose, "log10_dose": log_dose, "activity_pct": np.round(activity, 2)}
    )
    return Dataset(
        name="dose_response",
        frame=frame,
        target="activity_pct",
        features=["log10_dose"],
        description="One row per well: inhibitor concentration and remaining enzyme activity.",
        columns={
            "dose_molar": "inhibitor concentration (mol/L)",
            "log10_dose": "log10 of the inhibitor concentration (log10 mol/L)",
            "activity_pct": "enzyme activity relative to untreated control (%)",
        },
        source=SIMULATED,
        citation="Hill equation; see Motulsky H. & Christopoulos A. (2004), Fitting Models to "
        "Biological Data Using Linear and Nonlinear Regression, Oxford University Press.",
        truth={
            "bottom": bottom,
            "top": top,
            "log10_ec50": log10_ec50,
            "hill": hill,
            "noise_sd": noise_sd,
        },
        kind="simulated",
    )


@register("patient_subtypes", "simulated", "Gene expression of patients from hidden subtypes")
def simulate_patient_subtypes(
    random_state: int = 0,
    *,
    n_patients: int = 150,
    n_genes: int = 40,
    n_subtypes: int = 3,
    markers_per_subtype: int = 5,
    marker_shift: float = 2.0,
    baseline_mean: float = 8.0,
    noise_sd: float = 1.0,
) -> Dataset:
    """log2 expression of genes in tumour samples from patients of hidden molecular subtypes.

    Every gene has log2 expression around ``baseline_mean`` with patient-to-patient SD
    ``noise_sd``; each subtype raises its own ``markers_per_subtype`` marker genes by
    ``marker_shift`` log2 units (a 4-fold change by default), as in subtype signatures of
    expression profiling studies. The ``subtype`` column is the hidden truth: hide it to try
    unsupervised learning, and compare the clusters with it afterwards.
    """
    if not 1 <= n_subtypes <= 26 or n_subtypes * markers_per_subtype > n_genes:
        raise UsageError(
            f"{n_subtypes} subtypes with {markers_per_subtype} marker genes each need "
            f"{n_subtypes * markers_per_subtype} genes, but n_genes is {n_genes}",
            fix="Use 1 to 26 subtypes and n_genes >= n_subtypes x markers_per_subtype",
        )
    rng = np.random.default_rng(random_state)
    subtype = rng.integers(0, n_subtypes, n_patients)
    expression = rng.normal(baseline_mean, noise_sd, (n_patients, n_genes))
    markers = {}
    for k in range(n_subtypes):
        genes = list(range(k * markers_per_subtype, (k + 1) * markers_per_subtype))
        expression[np.ix_(subtype == k, genes)] += marker_shift
        markers[f"subtype_{chr(65 + k)}"] = [f"gene_{g + 1:03d}" for g in genes]
    genes = [f"gene_{g + 1:03d}" for g in range(n_genes)]
    frame = pd.DataFrame(np.round(expression, 3), columns=genes)
    frame["subtype"] = [f"subtype_{chr(65 + k)}" for k in subtype]
    return Dataset(
        name="patient_subtypes",
        frame=frame,
        target="subtype",
        features=genes,
        description=f"One row per patient ({n_patients}): log2 expression of {n_genes} genes "
        "in a tumour sample, and the molecular subtype (hidden truth).",
        columns={
            **{g: "log2 expression (log2 normalised counts)" for g in genes},
            "subtype": "molecular subtype (the truth an unsupervised method never sees)",
        },
        source=SIMULATED,
        citation="Simulation in the spirit of Perou C.M. et al. (2000), Molecular portraits of "
        "human breast tumours, Nature 406, 747-752.",
        truth={
            "subtype": frame["subtype"].to_numpy(),
            "markers": markers,
            "marker_shift": marker_shift,
            "noise_sd": noise_sd,
        },
        kind="simulated",
    )


@register("compound_library", "simulated", "Screening library: descriptors and measured pIC50")
def simulate_compound_library(
    random_state: int = 0,
    *,
    n_compounds: int = 2000,
    noise_sd: float = 0.5,
    hit_threshold: float = 7.0,
) -> Dataset:
    """A compound library with computed descriptors and a measured potency (pIC50).

    Descriptors are drawn to resemble drug-like libraries (molecular weight about 400 ± 80 Da,
    cLogP 2.5 ± 1.2, TPSA 80 ± 25 Å², H-bond donors ~ Poisson(1.5), acceptors ~ Poisson(5)).
    Potency is linear in the descriptors plus assay noise (SD 0.5 log units, typical of
    biochemical screens): ``pIC50 = 3.275 + 0.6·logP - 0.012·(TPSA - 80) + 0.004·(MW - 400)
    + 0.15·HBD + noise``, so a typical compound has pIC50 about 5 (10 µM). Compounds with
    pIC50 >= ``hit_threshold`` (7, i.e. 100 nM) are hits: about 2% of the library.
    """
    rng = np.random.default_rng(random_state)
    mw = np.clip(rng.normal(400, 80, n_compounds), 150, 700)
    logp = rng.normal(2.5, 1.2, n_compounds)
    tpsa = np.clip(rng.normal(80, 25, n_compounds), 5, None)
    hbd = rng.poisson(1.5, n_compounds).astype(float)
    hba = rng.poisson(5.0, n_compounds).astype(float)
    coefficients = {
        "intercept": 3.275 + 0.012 * 80 - 0.004 * 400,
        "mol_weight": 0.004,
        "logp": 0.6,
        "tpsa": -0.012,
        "h_donors": 0.15,
        "h_acceptors": 0.0,
    }
    pic50 = (
        coefficients["intercept"]
        + 0.004 * mw
        + 0.6 * logp
        - 0.012 * tpsa
        + 0.15 * hbd
        + rng.normal(0, noise_sd, n_compounds)
    )
    frame = pd.DataFrame(
        {
            "compound": [f"CPD-{i + 1:05d}" for i in range(n_compounds)],
            "mol_weight": np.round(mw, 2),
            "logp": np.round(logp, 3),
            "tpsa": np.round(tpsa, 2),
            "h_donors": hbd,
            "h_acceptors": hba,
            "pic50": np.round(pic50, 3),
        }
    )
    frame["hit"] = frame["pic50"] >= hit_threshold
    return Dataset(
        name="compound_library",
        frame=frame,
        target="pic50",
        features=["mol_weight", "logp", "tpsa", "h_donors", "h_acceptors"],
        description=f"One row per compound ({n_compounds}): computed descriptors and measured "
        "potency. Which compounds should be tested first to find the hits?",
        columns={
            "compound": "compound identifier (text)",
            "mol_weight": "molecular weight (Da)",
            "logp": "calculated octanol/water partition coefficient, cLogP (log units)",
            "tpsa": "topological polar surface area (Å²)",
            "h_donors": "hydrogen-bond donors (count)",
            "h_acceptors": "hydrogen-bond acceptors (count)",
            "pic50": "potency, -log10 of the half-maximal inhibitory concentration (log units)",
            "hit": f"pIC50 >= {hit_threshold} (true/false)",
        },
        source=SIMULATED,
        citation="Descriptor ranges after Lipinski C.A. et al. (2001), Adv. Drug Deliv. Rev. "
        "46, 3-26.",
        truth={
            "coefficients": coefficients,
            "noise_sd": noise_sd,
            "hit_threshold": hit_threshold,
            "n_hits": int(frame["hit"].sum()),
        },
        kind="simulated",
    )
