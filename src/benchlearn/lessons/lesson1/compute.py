"""The page plumbing of lesson 1: data, settings, and the tables that take many lines.

The lesson computes nothing itself: every fit, prediction, score and optimizer step is a call
into benchlearn (the estimators, :mod:`benchlearn.optim`, :mod:`benchlearn.evaluate`,
:mod:`benchlearn.data`). The calls behind each figure are written out in the app's cells, so
that "Show code" reveals the library a learner is learning (the offline handout in
:mod:`benchlearn.lessons.export` makes the same calls). This module chooses the data, the
settings and the seeds, and builds what would drown a cell: the gradient-descent record, the
scaling and over-fitting tables, parameter counts, and the learner's upload.

The slow loaders and tables are cached: ``marimo run`` runs each browser session's copy of the
app in a thread of the same server process, so a reload or a second learner does not redo
them. Their results are shared, so callers must not modify them.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# Fixed seeds and settings: the page must show the same numbers on every visit.
SEED = 0
TEST_FRACTION = 0.25
LINE_RANGE_UG_PER_ML = 1000.0  # the assay is straight up to about 1050 µg/mL (see the dataset)
DEFAULT_B0, DEFAULT_B1 = 0.3, 0.5
DEFAULT_LEARNING_RATE = 0.5
LEARNING_RATES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.2)
MAX_STEPS = 2000
SCALING_STEPS = 200
DEFAULT_THRESHOLD = 15.0
HIDDEN_UNITS = 8
DEFAULT_K = 2
DEFAULT_PREDICTORS = ("bmi", "bp", "s5")
CV_FOLDS = 5
PARAMETER_TABLE_HEADINGS = {
    "estimate": "estimate",
    "std_error": "standard error",
    "ci_lower": "95% CI lower",
    "ci_upper": "95% CI upper",
    "p_value": "p-value",
}
CV_TABLE_HEADINGS = {
    "fold": "test fold",
    "n_train": "training patients",
    "n_test": "test patients",
    "test_r2": "test R²",
    "test_rmse": "test RMSE",
}
MAX_DEGREE = 10
# The over-fitting demo: 25 single wells across the saturating range, half held out.
CURVE_STANDARDS = tuple(float(c) for c in np.linspace(0, 4000, 25).round())
CURVE_SEED = 3
CURVE_TEST_FRACTION = 0.5


# ---- Part 3: the standard curve --------------------------------------------------------------
@functools.cache
def assay_line_data() -> tuple[pd.DataFrame, pd.Series]:
    """BCA standards in the straight part of the curve, concentration in mg/mL.

    Returns
    -------
    X : DataFrame
        One column, ``bsa_mg_per_ml``.
    y : Series
        ``a562``, the absorbance.
    """
    from benchlearn.data import simulate_protein_assay

    frame = simulate_protein_assay(random_state=SEED).frame
    frame = frame[frame["bsa_ug_per_ml"] <= LINE_RANGE_UG_PER_ML].reset_index(drop=True)
    X = pd.DataFrame({"bsa_mg_per_ml": frame["bsa_ug_per_ml"] / 1000.0})
    return X, frame["a562"]


def _exact_line(X: pd.DataFrame, y: pd.Series) -> tuple[Any, float]:
    """The exact least-squares line and its mean squared error, as the page computes them."""
    from benchlearn import LinearRegression
    from benchlearn.evaluate import mean_squared_error

    exact = LinearRegression(solver="exact").fit(X, y)
    return exact, mean_squared_error(y, exact.predict(X))


@dataclass(frozen=True)
class Descent:
    """A gradient-descent run of a given number of steps from (0, 0).

    Attributes
    ----------
    history : DataFrame
        ``step, loss, grad_norm, intercept, <feature>``, one row per step, step 0 the start.
    diverged : bool
        The optimizer stopped because the loss ran away.
    growing : bool
        The loss at the last step is above the loss at the start.
    limit : float
        ``2/L``: learning rates above it diverge on this loss surface.
    """

    history: pd.DataFrame
    diverged: bool
    growing: bool
    limit: float


def descent_so_far(model: Any, X: pd.DataFrame, steps: int) -> Descent:
    """The record of a gradient-descent fit after ``steps`` steps (0 = just the start).

    Parameters
    ----------
    model : LinearRegression
        Fitted on ``X`` with ``solver="gd"`` and ``max_iter=max(steps, 1)``, as the page's cell
        does; its history is cut to ``steps + 1`` rows, so 0 steps is just the start.
    X : DataFrame
        The data it was fitted on (for the loss surface's curvature L).
    steps : int
        The steps the learner has taken.
    """
    from benchlearn.optim import lipschitz_constant_least_squares

    history = model.history_.iloc[: int(steps) + 1].reset_index(drop=True)
    # diverged_ is set exactly when the optimizer stopped with a DivergenceWarning
    diverged = steps > 0 and bool(model.diverged_)
    loss = history["loss"].to_numpy()
    growing = bool(len(loss) > 1 and not loss[-1] <= loss[0])
    L = lipschitz_constant_least_squares(model.design_matrix(X))
    return Descent(history=history, diverged=bool(diverged), growing=growing, limit=2.0 / L)


def descend(X: pd.DataFrame, y: pd.Series, learning_rate: float, steps: int) -> Descent:
    """The page's gradient-descent cell in one call: fit ``steps`` steps from (0, 0), quietly.

    The handout and the tests use it; the app writes the same ``LinearRegression`` call out.
    """
    from benchlearn import LinearRegression

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the Descent record says what the warnings would
        model = LinearRegression(
            solver="gd", learning_rate=learning_rate, max_iter=max(int(steps), 1), tol=1e-12
        ).fit(X, y)
    return descent_so_far(model, X, steps)


def scaling_comparison(X: pd.DataFrame, y: pd.Series, steps: int = SCALING_STEPS) -> pd.DataFrame:
    """Gradient descent with the automatic (largest safe) rate, in mg/mL and in µg/mL.

    Returns
    -------
    DataFrame
        Indexed by unit (``mg/mL``, ``µg/mL``): ``condition_number`` of the design,
        ``loss_after_steps`` and ``exact_loss``.
    """
    return _descent_by_scale({"mg/mL": X, "µg/mL": X * 1000.0}, y, steps)


def _descent_by_scale(versions: dict[str, pd.DataFrame], y: pd.Series, steps: int) -> pd.DataFrame:
    """Condition number, loss after ``steps`` automatic-rate steps and exact loss, per version.

    ``versions`` maps a row name to the same predictor in another scale.
    """
    from sklearn.exceptions import ConvergenceWarning

    from benchlearn import LinearRegression

    rows = {}
    for name, Xs in versions.items():
        exact, exact_loss = _exact_line(Xs, y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gd = LinearRegression(solver="gd", max_iter=steps, tol=1e-12).fit(Xs, y)
        rows[name] = {
            "condition_number": exact.condition_number_,
            "loss_after_steps": float(gd.history_["loss"].iloc[-1]),
            "exact_loss": exact_loss,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


# ---- Part 3: several predictors and evaluation -----------------------------------------------
@functools.cache
def _diabetes() -> Any:
    """The diabetes data set, read once (the page asks for its columns, units and rows)."""
    from benchlearn.data import load_diabetes

    return load_diabetes()


def diabetes_data(predictors: tuple[str, ...] | list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """The diabetes patients' chosen predictors and their disease progression."""
    data = _diabetes()
    return data.frame[list(predictors)], data.frame[data.target]


def diabetes_features() -> list[str]:
    """The ten baseline measurements a learner can choose as predictors."""
    return list(_diabetes().features)


def diabetes_units() -> dict[str, str]:
    """Meaning and unit of each diabetes column."""
    return dict(_diabetes().columns)


@functools.cache
def assay_curve_data() -> tuple[pd.DataFrame, pd.Series]:
    """25 single wells over the whole assay range (0-4 mg/mL), where the curve bends."""
    from benchlearn.data import simulate_protein_assay

    frame = simulate_protein_assay(
        random_state=CURVE_SEED, standards=CURVE_STANDARDS, replicates=1
    ).frame
    X = pd.DataFrame({"bsa_mg_per_ml": frame["bsa_ug_per_ml"] / 1000.0})
    return X, frame["a562"]


def curve_split() -> list[Any]:
    """``X_train, X_test, y_train, y_test`` of the over-fitting demo."""
    return own_curve_split(*assay_curve_data())


@functools.cache
def overfitting_table(max_degree: int = MAX_DEGREE) -> pd.DataFrame:
    """Train, test and cross-validated RMSE for each polynomial degree.

    Returns
    -------
    DataFrame
        Indexed by ``degree``: ``train_rmse``, ``test_rmse``, ``cv_rmse`` (mean over 5 folds
        of all 25 wells).
    """
    X, y = assay_curve_data()
    return degree_errors(X, y, curve_split(), max_degree)


def degree_errors(X: pd.DataFrame, y: pd.Series, split: list[Any], max_degree: int) -> pd.DataFrame:
    """Train, test and 5-fold cross-validated RMSE of polynomials of degree 1 to ``max_degree``.

    ``split`` is ``X_train, X_test, y_train, y_test`` (fits on the first, scores on both);
    cross-validation uses every row of ``X, y``. Same columns as :func:`overfitting_table`.
    """
    from benchlearn import PolynomialRegression
    from benchlearn.evaluate import KFold, cross_validate, root_mean_squared_error

    X_train, X_test, y_train, y_test = split
    folds = KFold(CV_FOLDS, shuffle=True, random_state=SEED)
    rows = []
    for degree in range(1, max_degree + 1):
        with warnings.catch_warnings():
            # high degrees on a dozen wells are nearly singular: that instability is the lesson
            warnings.simplefilter("ignore")
            model = PolynomialRegression(degree=degree).fit(X_train, y_train)
            cv = cross_validate(PolynomialRegression(degree=degree), X, y, cv=folds,
                                scoring=["rmse"])  # fmt: skip
        rows.append(
            {
                "degree": degree,
                "train_rmse": root_mean_squared_error(y_train, model.predict(X_train)),
                "test_rmse": root_mean_squared_error(y_test, model.predict(X_test)),
                "cv_rmse": float(cv["test_rmse"].mean()),
            }
        )
    return pd.DataFrame(rows).set_index("degree")


# ---- Parts 1 and 2: the biopsies ------------------------------------------------------------
@dataclass(frozen=True)
class Biopsies:
    """The breast-biopsy data split once for Parts 1 and 2.

    ``X_*`` are the 30 raw measurements; ``Z_*`` the same standardised with the training
    rows' mean and standard deviation (so one learning rate suits every feature);
    ``y_*`` the diagnosis ("malignant" or "benign"); ``Z_all`` every biopsy standardised.
    """

    X_train: pd.DataFrame
    X_test: pd.DataFrame
    Z_train: pd.DataFrame
    Z_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series
    Z_all: pd.DataFrame
    y_all: pd.Series


@functools.cache
def biopsies() -> Biopsies:
    """Load the breast-cancer data and hold out a stratified quarter as the test set."""
    from benchlearn.data import load_breast_cancer
    from benchlearn.evaluate import train_test_split

    data = load_breast_cancer()
    X, y = data.frame[data.features], data.frame[data.target]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_FRACTION, random_state=SEED, stratify=y
    )
    mean, sd = X_train.mean(), X_train.std()
    return Biopsies(
        X_train=X_train,
        X_test=X_test,
        Z_train=(X_train - mean) / sd,
        Z_test=(X_test - mean) / sd,
        y_train=y_train,
        y_test=y_test,
        Z_all=(X - X.mean()) / X.std(),
        y_all=y,
    )


def rule_predictions(X: pd.DataFrame, threshold: float) -> np.ndarray:
    """The hand-written rule: malignant if the mean nucleus radius is above ``threshold``."""
    return np.where(X["mean_radius"] > threshold, "malignant", "benign")


def parameter_count(model: Any) -> int:
    """Weights plus intercepts a fitted classifier learned (every layer, for a network)."""
    if hasattr(model, "coefs_"):
        layers = [*model.coefs_, *model.intercepts_]
    else:
        layers = [model.coef_, model.intercept_]
    return int(sum(np.size(values) for values in layers))


# ---- Part 3 on the learner's own file ---------------------------------------------------------
# The data-source choice at the top of Part 3. With the built-in example everything is exactly
# as above; with an uploaded file the same widgets run on the learner's two chosen columns.
BUILTIN_DATA = "The lesson's example: BCA protein standards"
OWN_DATA = "Your own file"
DATA_SOURCES = (BUILTIN_DATA, OWN_DATA)
UPLOAD_TYPES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet")
UPLOAD_MAX_BYTES = 20_000_000
MIN_OWN_ROWS = 3  # a line through two points always fits perfectly: nothing left to learn
# Every widget redraws all rows and reruns gradient descent from the start on each change;
# beyond this the page stops being interactive (``benchlearn fit`` has no such limit).
MAX_OWN_ROWS = 10_000
SLIDER_TICKS = 200  # about this many slider positions across each parameter's range
RANGE_WIDTH = 1.5  # slider half-widths, in units of the data's natural scale (see line_settings)
SAFE_RATE_SHARE = 0.6  # default learning rate: the largest offered below this share of 2/L
OWN_NUMBER_FORMAT = ".6g"  # readouts on the learner's data: significant digits, any scale


@dataclass(frozen=True)
class SliderRange:
    """``start``, ``stop``, ``step`` and starting ``value`` of one parameter's slider."""

    start: float
    stop: float
    step: float
    value: float


@dataclass(frozen=True)
class LineSettings:
    """How Part 3's widgets fit the data in use (the built-in standards or the learner's file).

    Attributes
    ----------
    b0, b1
        Slider ranges for the intercept and the slope (also the loss surface's axes).
    learning_rates
        The learning-rate slider's positions.
    default_learning_rate
        Its starting position.
    x_label, y_label
        Axis titles.
    builtin
        True for the lesson's own example (the page then looks exactly as it always did).
    source
        The file name (``None`` for the built-in example).
    dropped_rows
        Rows of the learner's file left out because of empty cells.
    """

    b0: SliderRange
    b1: SliderRange
    learning_rates: tuple[float, ...]
    default_learning_rate: float
    x_label: str
    y_label: str
    builtin: bool
    source: str | None = None
    dropped_rows: tuple[int, ...] = ()

    def number(self, value: float, builtin_format: str) -> str:
        """A readout number: the lesson's fixed format on the example, significant digits else."""
        return format(value, builtin_format if self.builtin else OWN_NUMBER_FORMAT)


def builtin_line_settings() -> LineSettings:
    """The settings of the built-in BCA example (the page's original ranges)."""
    from benchlearn.lessons.lesson1.figures import B0_RANGE, B1_RANGE

    return LineSettings(
        b0=SliderRange(*B0_RANGE, 0.01, DEFAULT_B0),
        b1=SliderRange(*B1_RANGE, 0.01, DEFAULT_B1),
        learning_rates=LEARNING_RATES,
        default_learning_rate=DEFAULT_LEARNING_RATE,
        x_label="BSA concentration (mg/mL)",
        y_label="absorbance at 562 nm (AU)",
        builtin=True,
    )


def read_upload(name: str, contents: bytes) -> pd.DataFrame:
    """Read an uploaded file with :func:`benchlearn.data.read_table`.

    The bytes are written under the file's own name in a fresh temporary folder (deleted
    afterwards), so the reader sees the real extension and its messages name the learner's file.

    Raises
    ------
    DataError, UsageError
        The data layer's messages (empty file, unsupported type, malformed table, ...).
    """
    import tempfile
    from pathlib import Path

    from benchlearn.data import read_table

    safe_name = Path(str(name).replace("\\", "/")).name or "upload"
    with tempfile.TemporaryDirectory(prefix="benchlearn-upload-") as folder:
        path = Path(folder) / safe_name
        path.write_bytes(contents)
        return read_table(path)


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """The columns a learner can choose for y and x: those holding numbers.

    A column counts when at least half of its non-empty cells are numbers, so that a column
    with one stray ``n/a`` is still offered and choosing it shows the data layer's message
    naming that cell.

    Raises
    ------
    DataError
        Fewer than two such columns (a line needs a measured quantity and a predictor).
    """
    from benchlearn.data.reader import parse_number
    from benchlearn.errors import DataError

    chosen = []
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            chosen.append(str(column))
            continue
        cells = [str(v).strip() for v in series if isinstance(v, str) and v.strip()]
        numbers = sum(
            parse_number(c) is not None or parse_number(c, True) is not None for c in cells
        )
        if cells and numbers >= 0.5 * len(cells):
            chosen.append(str(column))
    if len(chosen) < 2:
        found = ", ".join(f"`{c}`" for c in chosen) or "none"
        raise DataError(
            f"a line needs two columns of numbers, and this table has {len(chosen)} "
            f"(numeric columns: {found}; all columns: "
            f"{', '.join(f'`{c}`' for c in frame.columns)})",
            where=f"file {frame.attrs.get('source', 'uploaded')}",
            fix="Put one measured quantity in each column, with its name in the first row, "
            "and one sample per row",
        )
    return chosen


def default_columns(columns: list[str]) -> tuple[str, str]:
    """``(y, x)`` to start with: the last numeric column against the first.

    Lab tables usually list what was set (concentration, dose, time) before what was measured.
    """
    return columns[-1], columns[0]


def own_line_data(
    frame: pd.DataFrame, y: str, x: str, *, drop_missing: bool = False
) -> tuple[pd.DataFrame, pd.Series]:
    """The learner's chosen columns, checked by :func:`benchlearn.data.select_columns`.

    Returns
    -------
    X : DataFrame
        The one predictor column; ``X.attrs["dropped_rows"]`` lists rows left out.
    y : Series
        The measured quantity.

    Raises
    ------
    DataError, UsageError
        Text in a number column, an empty cell (unless ``drop_missing``), a constant column,
        fewer than :data:`MIN_OWN_ROWS` rows, the same column chosen twice, or more than
        :data:`MAX_OWN_ROWS` rows.
    """
    from benchlearn.data import MissingValuesDropped, select_columns
    from benchlearn.errors import UsageError

    with warnings.catch_warnings():
        # the page says which rows were left out; the warning would only reach the console
        warnings.simplefilter("ignore", MissingValuesDropped)
        X, response = select_columns(
            frame, y, [x], drop_missing=drop_missing, min_rows=MIN_OWN_ROWS
        )
    if len(response) > MAX_OWN_ROWS:
        import shlex

        command = " ".join(
            shlex.quote(str(word))
            for word in ["benchlearn", "fit", frame.attrs.get("source", "FILE"), "--y", y, "--x", x]
        )
        raise UsageError(
            f"the table has {len(response):,} usable rows; this lesson redraws every row at "
            f"each move of a slider, and takes at most {MAX_OWN_ROWS:,}",
            where=f"file {frame.attrs.get('source', 'uploaded')}",
            fix=f"Fit the whole file from a terminal with `{command}`, or load a sample of "
            "its rows here",
        )
    return X, response


def nice_step(span: float, ticks: int = SLIDER_TICKS) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` steps over ``span``."""
    raw = span / ticks
    power = 10.0 ** np.floor(np.log10(raw))
    for multiple in (1.0, 2.0, 5.0, 10.0):
        if multiple * power >= raw:
            return float(f"{multiple * power:.1g}")
    return float(10 * power)  # pragma: no cover - the loop always returns


def _on_grid(value: float, step: float) -> float:
    """``value`` rounded to a multiple of ``step``, without binary noise in the digits."""
    decimals = max(0, int(-np.floor(np.log10(step))) + 1)
    return round(round(value / step) * step, decimals)


def _slider(centre: float, half_width: float, value: float) -> SliderRange:
    step = nice_step(2 * half_width)
    start = _on_grid(np.floor((centre - half_width) / step) * step, step)
    stop = _on_grid(np.ceil((centre + half_width) / step) * step, step)
    return SliderRange(start, stop, step, _on_grid(min(max(value, start), stop), step))


def learning_rate_options(X: pd.DataFrame) -> tuple[tuple[float, ...], float]:
    """Learning rates suited to the data, and the one to start with.

    The lesson's rates (0.01 to 1.2) times a power of ten chosen so that the divergence limit
    2/L falls between the smallest and the largest: some rates converge, the largest diverge,
    whatever the units of x. The starting rate is the largest below 60% of 2/L.
    """
    from benchlearn.optim import lipschitz_constant_least_squares

    x = X.iloc[:, 0].to_numpy(dtype=float)
    limit = 2.0 / lipschitz_constant_least_squares(np.column_stack([np.ones_like(x), x]))
    power = int(np.floor(np.log10(limit))) + 1  # limit / 10**power lies in [0.1, 1)
    rates = tuple(float(f"{r * 10.0**power:.6g}") for r in LEARNING_RATES)
    safe = [r for r in rates if r <= SAFE_RATE_SHARE * limit]
    return rates, (safe[-1] if safe else rates[0])


def line_settings(X: pd.DataFrame, y: pd.Series) -> LineSettings:
    """Slider ranges, learning rates and labels for the learner's own data.

    The ranges come from the data's natural scale, not from its fit's standard errors (those
    shrink to nothing on a good standard curve, leaving nothing to explore): the slope slider
    spans the exact slope ± 1.5·sd(y)/sd(x) (sd(y)/sd(x) is the slope of a perfect
    correlation), the intercept slider the exact intercept ± 1.5·(sd(y) + |mean(x)|·sd(y)/sd(x))
    (moving the slope by that much moves the intercept of lines through the data's centre by
    |mean(x)| times as much). Both contain the flat line through the mean of y, where the
    sliders start: the "no model" line the learner improves on.
    """
    x = X.iloc[:, 0].to_numpy(dtype=float)
    values = y.to_numpy(dtype=float)
    exact, _ = _exact_line(X, y)
    b0_exact, b1_exact = float(exact.intercept_), float(exact.coef_[0])
    sd_x, sd_y = float(np.std(x, ddof=1)), float(np.std(values, ddof=1))
    slope_scale = sd_y / sd_x
    rates, rate = learning_rate_options(X)
    intercept_width = RANGE_WIDTH * (sd_y + abs(float(np.mean(x))) * slope_scale)
    return LineSettings(
        b0=_slider(b0_exact, intercept_width, float(np.mean(values))),
        b1=_slider(b1_exact, RANGE_WIDTH * slope_scale, 0.0),
        learning_rates=rates,
        default_learning_rate=rate,
        x_label=str(X.columns[0]),
        y_label=str(y.name),
        builtin=False,
        source=X.attrs.get("source"),
        dropped_rows=tuple(X.attrs.get("dropped_rows", ())),
    )


def standardised_scaling_comparison(
    X: pd.DataFrame, y: pd.Series, steps: int = SCALING_STEPS
) -> pd.DataFrame:
    """Gradient descent with the automatic rate on x as given and on x standardised.

    The learner's own-data counterpart of :func:`scaling_comparison`: standardising (subtract
    the mean, divide by the standard deviation) is the usual fix for a badly scaled feature.

    Returns
    -------
    DataFrame
        Indexed by ``as given`` and ``standardised``: ``condition_number``,
        ``loss_after_steps`` and ``exact_loss`` (the same for both: one line, two units).
    """
    column = X.iloc[:, 0]
    standardised = ((column - column.mean()) / column.std()).to_frame()
    return _descent_by_scale({"as given": X, "standardised": standardised}, y, steps)


# The over-fitting demo on the learner's own rows: half to train, half to test, as for the assay.
MIN_OWN_DEGREE_ROWS = 2 * CV_FOLDS  # every cross-validation fold needs rows to test on
# 60 polynomial fits with full inference; beyond this the table takes many seconds, and with so
# many rows a curve has little room to over-fit anyway
MAX_OWN_DEGREE_ROWS = 2000


def own_curve_split(X: pd.DataFrame, y: pd.Series) -> list[Any]:
    """``X_train, X_test, y_train, y_test`` of the over-fitting demo on the learner's rows.

    The same split as the assay's (:func:`curve_split`, which calls this on its wells).
    """
    from benchlearn.evaluate import train_test_split

    return train_test_split(X, y, test_size=CURVE_TEST_FRACTION, random_state=SEED)


def own_max_degree(X: pd.DataFrame, y: pd.Series, split: list[Any]) -> int:
    """Highest polynomial degree the learner's rows support in the over-fitting demo.

    A degree-d polynomial has d + 1 parameters: it needs d + 1 different x values among the
    training rows, and d + 1 rows in the smallest cross-validation training set. At most
    :data:`MAX_DEGREE`; 0 when the file has fewer than :data:`MIN_OWN_DEGREE_ROWS` or more
    than :data:`MAX_OWN_DEGREE_ROWS` rows (the lesson then keeps its own assay for this demo).
    """
    n = len(y)
    if not MIN_OWN_DEGREE_ROWS <= n <= MAX_OWN_DEGREE_ROWS:
        return 0
    distinct_train = int(split[0].iloc[:, 0].nunique())
    smallest_cv_train = n - int(np.ceil(n / CV_FOLDS))
    return int(min(MAX_DEGREE, distinct_train - 1, smallest_cv_train - 1))
