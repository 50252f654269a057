"""The offline handout of a lesson: one HTML file an instructor can hand out or print.

The handout is built from the same data and functions as the interactive marimo page
(:mod:`benchlearn.lessons.lesson1`: ``content`` for the words, ``compute`` for the data,
settings and longer tables, ``figures`` and ``blocks`` for the pictures) and makes the same
benchlearn calls as the page's cells, with the page's starting widget values, so its numbers
are the page's numbers (``tests/lessons/test_export.py`` checks this). Nothing is loaded from
the network: figures are embedded as PNG data, the stylesheet is inline, there is no script. The
check-your-understanding questions keep their answers folded away in ``<details>`` elements.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchlearn.errors import UsageError
from benchlearn.files import write_atomically

# The page starts at step 0 with the exact solution hidden; a handout shows what a learner
# sees after one press of "Run 50 steps" and one of "Solve exactly", which is more telling.
HANDOUT_STEPS = 50
MARKDOWN_EXTENSIONS = ("tables", "sane_lists")
# On paper nothing "appears straight away": the answers are folded under "Show the answer".
LIVE_QUIZ_HINT = "Pick an answer; the explanation appears straight away."
HANDOUT_QUIZ_HINT = "Pick an answer, then open “Show the answer” below the question."
DEGREE_TABLE_HEADINGS = {
    "train_rmse": "train RMSE",
    "test_rmse": "test RMSE",
    "cv_rmse": "cross-validated RMSE",
}


@dataclass(frozen=True)
class Part:
    """One piece of the handout, in page order.

    ``kind`` is ``"html"`` (ready HTML in ``html``), ``"setting"`` (where the page has a widget:
    ``text`` says the value shown) or ``"quiz"`` (``objective``, its ``intro`` HTML and its
    ``questions``).
    """

    kind: str
    html: str = ""
    text: str = ""
    objective: int = 0
    intro: str = ""
    questions: tuple[Any, ...] = ()


def markdown_html(text: str) -> str:
    """Convert the lesson's Markdown prose to HTML (tables, lists, code blocks).

    The prose holds no LaTeX (formulas are plain text, see ``content``), so no maths renderer
    is needed.
    """
    import markdown

    return markdown.markdown(text, extensions=list(MARKDOWN_EXTENSIONS), output_format="html")


def _figure(fig: Any, alt: str) -> str:
    from benchlearn.lessons.lesson1 import blocks

    return f"<figure>{blocks.figure_html(fig, alt)}<figcaption>{_escape(alt)}</figcaption></figure>"


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def lesson1_parts() -> tuple[list[Part], list[str]]:
    """Lesson 1 as handout parts, in the page's order, at the page's starting settings.

    Returns
    -------
    parts : list of Part
        Prose, readouts, tables, figures and the three quizzes.
    settings : list of str
        The widget values shown, one sentence each (listed at the top of the handout).
    """
    from benchlearn import (
        PCA,
        KMeans,
        LinearRegression,
        LogisticRegression,
        MLPClassifier,
        PolynomialRegression,
    )
    from benchlearn.evaluate import (
        KFold,
        accuracy,
        adjusted_rand_index,
        contingency_table,
        cross_validate,
        mean_squared_error,
        r2_score,
        root_mean_squared_error,
        train_test_split,
    )
    from benchlearn.lessons.lesson1 import blocks, compute, content, figures, questions

    md = markdown_html
    parts: list[Part] = []

    def add(html: str) -> None:
        parts.append(Part("html", html=html))

    def setting(text: str) -> None:
        parts.append(Part("setting", text=text))

    def quiz(objective: int) -> None:
        intro = content.fill("quiz_intro", objective=objective, goal=content.OBJECTIVES[objective])
        intro = intro.replace(LIVE_QUIZ_HINT, HANDOUT_QUIZ_HINT)
        parts.append(
            Part(
                "quiz",
                objective=objective,
                intro=md(intro),
                questions=tuple(questions.questions_for(objective)),
            )
        )

    # ---- Introduction
    add(md(content.SECTIONS["intro"]))
    uses = "\n".join(f"- *{title}.* {example}" for title, example in content.BIOTECH_USES.values())
    add(md(content.SECTIONS["biotech"] + "\n" + uses))

    # ---- Part 1
    add(md(content.SECTIONS["nesting_intro"]))
    add(
        _figure(
            figures.nesting_diagram(),
            "Three nested ovals: deep learning inside machine learning inside artificial "
            "intelligence",
        )
    )
    add(md(content.SECTIONS["nesting_task"]))
    biopsy = compute.biopsies()
    logistic = LogisticRegression().fit(biopsy.Z_train, biopsy.y_train)
    network = MLPClassifier(
        hidden_layer_sizes=(compute.HIDDEN_UNITS,), random_state=compute.SEED
    ).fit(biopsy.Z_train, biopsy.y_train)
    classifiers = {
        "logistic_accuracy": accuracy(biopsy.y_test, logistic.predict(biopsy.Z_test)),
        "network_accuracy": accuracy(biopsy.y_test, network.predict(biopsy.Z_test)),
        "logistic_parameters": compute.parameter_count(logistic),
        "network_parameters": compute.parameter_count(network),
    }
    threshold = compute.DEFAULT_THRESHOLD
    rule_accuracy = accuracy(biopsy.y_test, compute.rule_predictions(biopsy.X_test, threshold))
    setting(f"Rule threshold (mean nucleus radius): {threshold:g} pixels")
    add(blocks.accuracy_readouts(rule_accuracy, classifiers))
    add(
        md(
            content.fill(
                "nesting_result",
                n_test=len(biopsy.y_test),
                n_train=len(biopsy.y_train),
                threshold=f"{threshold:g}",
                rule_accuracy=blocks.percent(rule_accuracy),
                logistic_parameters=classifiers["logistic_parameters"],
                logistic_accuracy=blocks.percent(classifiers["logistic_accuracy"]),
                network_parameters=classifiers["network_parameters"],
                network_accuracy=blocks.percent(classifiers["network_accuracy"]),
            )
        )
    )
    add(md(content.SECTIONS["nesting_takeaway"]))
    quiz(1)

    # ---- Part 2
    add(
        md(
            content.SECTIONS["supervised_intro"]
            + content.fill(
                "supervised_result",
                logistic_accuracy=blocks.percent(classifiers["logistic_accuracy"]),
            )
        )
    )
    k = compute.DEFAULT_K
    cluster_labels = KMeans(n_clusters=k, random_state=compute.SEED).fit(biopsy.Z_all).labels_ + 1
    grouping = {
        "labels": cluster_labels,
        "table": contingency_table(biopsy.y_all, cluster_labels).rename_axis(index="diagnosis"),
        "ari": adjusted_rand_index(biopsy.y_all, cluster_labels),
    }
    setting(f"Number of clusters: k = {k}")
    add(md(content.SECTIONS["clusters_map"]))
    add(
        _figure(
            figures.clusters_map(
                PCA(n_components=2).fit_transform(biopsy.Z_all), grouping["labels"], biopsy.y_all
            ),
            f"Biopsies on the first two principal components, coloured by {k} k-means clusters "
            "(left) and by diagnosis (right)",
        )
    )
    add(md(content.fill("clusters_result", k=k, ari=f"{grouping['ari']:.3f}")))
    add(
        blocks.table_html(grouping["table"])
        + blocks.readout_html(f"ARI = {grouping['ari']:.3f}", "ari")
    )
    add(md(content.SECTIONS["clusters_takeaway"]))
    quiz(2)

    # ---- Part 3: the standard curve, by hand, exactly and by gradient descent
    add(md(content.SECTIONS["regression_intro"]))
    add(md(content.SECTIONS["data_choice"]))
    setting(f"Data for Part 3: {compute.BUILTIN_DATA}")
    X_line, y_line = compute.assay_line_data()
    line = compute.builtin_line_settings()
    exact = LinearRegression(solver="exact").fit(X_line, y_line)
    exact_b0, exact_b1 = float(exact.intercept_), float(exact.coef_[0])
    exact_loss = mean_squared_error(y_line, exact.predict(X_line))
    b0, b1 = line.b0.value, line.b1.value
    slider_mse = mean_squared_error(y_line, b0 + b1 * X_line.iloc[:, 0])
    setting(f"Intercept b0 = {b0:g}, slope b1 = {b1:g}")
    add(blocks.readout_html(f"MSE = {line.number(slider_mse, '.4f')}", "mse"))
    add(
        _figure(
            figures.line_with_residuals(X_line.iloc[:, 0], y_line, b0, b1),
            f"BSA standards with the line {b0:.2f} + {b1:.2f} × concentration and the "
            "residual of each well",
        )
    )
    add(md(content.SECTIONS["residuals"] + content.SECTIONS["loss"]))
    b0_range, b1_range = (line.b0.start, line.b0.stop), (line.b1.start, line.b1.stop)
    add(
        _figure(
            figures.loss_surface(
                X_line.iloc[:, 0], y_line, b0, b1, b0_range=b0_range, b1_range=b1_range
            ),
            "Contour map of the mean squared error over intercept and slope, with the point "
            "set by the sliders",
        )
    )
    add(md(content.SECTIONS["optimization"]))
    rate = line.default_learning_rate
    descent = compute.descend(X_line, y_line, rate, HANDOUT_STEPS)
    last = descent.history.iloc[-1]
    step = int(last["step"])
    setting(f"Learning rate {rate:g}; “Run {HANDOUT_STEPS} steps” and “Solve exactly” pressed once")
    add(
        blocks.descent_readout(descent) + blocks.exact_readout(line, exact_b0, exact_b1, exact_loss)
    )
    if descent.diverged or descent.growing:
        limit = line.number(descent.limit, ".3f")
        add(md(content.fill("gd_diverged", learning_rate=f"{rate:g}", limit=limit)))
    else:
        add(
            md(
                content.fill(
                    "gd_status",
                    steps=step,
                    b0=line.number(last["intercept"], ".4f"),
                    b1=line.number(last[X_line.columns[0]], ".4f"),
                    loss_readout=line.number(last["loss"], ".6f"),
                    exact_loss=line.number(exact_loss, ".6f"),
                )
            )
        )
    add(
        '<div class="figures">'
        + _figure(
            figures.loss_surface(
                X_line.iloc[:, 0],
                y_line,
                b0,
                b1,
                path=descent.history,
                exact=(exact_b0, exact_b1),
                b0_range=b0_range,
                b1_range=b1_range,
            ),
            f"Loss surface with the path of {step} gradient-descent steps",
        )
        + _figure(
            figures.loss_per_step(descent.history, exact_loss),
            "Loss after each gradient-descent step, on a log scale",
        )
        + "</div>"
    )
    scaling = compute.scaling_comparison(X_line, y_line)
    add(
        md(
            content.fill(
                "gd_scaling",
                mg_condition=f"{scaling.loc['mg/mL', 'condition_number']:.3g}",
                ug_condition=f"{scaling.loc['µg/mL', 'condition_number']:.3g}",
                mg_loss=f"{scaling.loc['mg/mL', 'loss_after_steps']:.6f}",
                ug_loss=f"{scaling.loc['µg/mL', 'loss_after_steps']:.6f}",
                exact_loss=f"{scaling.loc['mg/mL', 'exact_loss']:.6f}",
            )
        )
    )

    # ---- Part 3: several predictors and evaluation
    chosen = list(compute.DEFAULT_PREDICTORS)
    X_diabetes, y_diabetes = compute.diabetes_data(chosen)
    model = LinearRegression().fit(X_diabetes, y_diabetes)
    add(md(content.SECTIONS["several_predictors"]))
    setting(f"Predictors: {', '.join(chosen)}")
    add(blocks.parameter_table_html(model))
    row = model.params_.loc[chosen[0]]
    add(
        md(
            content.fill(
                "several_reading",
                feature=chosen[0],
                unit=compute.diabetes_units()[chosen[0]],
                estimate=f"{row['estimate']:.3g}",
                ci_lower=f"{row['ci_lower']:.3g}",
                ci_upper=f"{row['ci_upper']:.3g}",
            )
        )
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X_diabetes, y_diabetes, test_size=compute.TEST_FRACTION, random_state=compute.SEED
    )
    split_model = LinearRegression().fit(X_train, y_train)
    fitted, fitted_train = split_model.predict(X_test), split_model.predict(X_train)
    scores = {
        "train_r2": r2_score(y_train, fitted_train),
        "test_r2": r2_score(y_test, fitted),
        "train_rmse": root_mean_squared_error(y_train, fitted_train),
        "test_rmse": root_mean_squared_error(y_test, fitted),
    }
    add(md(content.SECTIONS["evaluation"]))
    add(blocks.split_readouts(scores))
    add(md(content.SECTIONS["residual_plot"]))
    add(
        _figure(
            figures.residual_plot(fitted, y_test.to_numpy() - fitted),
            "Residuals of the test patients against their predicted progression",
        )
    )
    cv_scores = cross_validate(
        LinearRegression(),
        X_diabetes,
        y_diabetes,
        cv=KFold(compute.CV_FOLDS, shuffle=True, random_state=compute.SEED),
        scoring=["r2", "rmse"],
    )
    add(md(content.SECTIONS["cross_validation"]))
    add(blocks.cross_validation_html(cv_scores))

    # ---- Part 3: over-fitting
    degree = 1
    X_train, X_test, y_train, y_test = compute.curve_split()
    degree_table = compute.overfitting_table()
    polynomial = PolynomialRegression(degree=degree).fit(X_train, y_train)
    degree_row = degree_table.loc[degree]
    add(md(content.SECTIONS["overfitting"]))
    setting(f"Polynomial degree {degree} (every degree's errors are in the table below)")
    add(
        blocks.readout_html(
            f"Degree {degree}: train RMSE = {degree_row['train_rmse']:.4f}, "
            f"test RMSE = {degree_row['test_rmse']:.4f}",
            "degree-rmse",
        )
    )
    add(
        '<div class="figures">'
        + _figure(
            figures.polynomial_fit(polynomial, X_train, y_train, X_test, y_test),
            f"Degree {degree} polynomial through the training wells, with the test wells",
        )
        + _figure(
            figures.error_by_degree(degree_table, degree),
            "Training, test and cross-validation RMSE against polynomial degree",
        )
        + "</div>"
    )
    # The page's slider visits one degree at a time; on paper, every degree at once.
    add(blocks.table_html(degree_table.rename(columns=DEGREE_TABLE_HEADINGS).rename_axis("degree")))
    quiz(3)

    # ---- Own data and the glossary heading (its entries follow in the template)
    add(md(content.SECTIONS["own_data"]))
    add(md(content.SECTIONS["glossary_intro"]))
    settings = [p.text for p in parts if p.kind == "setting"]
    return parts, settings


def _check_lesson(number: int) -> None:
    if number != 1:
        raise UsageError(
            f"there is no lesson {number} to export",
            where="benchlearn lesson --export",
            fix="Run `benchlearn lesson 1 --export handout.html`",
        )


def handout_html(number: int = 1) -> str:
    """Return lesson ``number``'s handout as one self-contained HTML document.

    Raises
    ------
    UsageError
        There is no such lesson.
    """
    _check_lesson(number)
    from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

    from benchlearn import __version__
    from benchlearn.lessons.lesson1 import content, glossary

    with warnings.catch_warnings():
        # the optimizers' and matplotlib's warnings belong to the live page, not to a handout
        warnings.simplefilter("ignore")
        parts, settings = lesson1_parts()
    environment = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("benchlearn.lessons", "templates"),
                PackageLoader("benchlearn.report", "templates"),  # the shared base.css
            ]
        ),
        autoescape=select_autoescape(["html", "j2"]),
    )
    return environment.get_template("handout.html.j2").render(
        title=content.TITLE,
        version=__version__,
        settings=settings,
        parts=parts,
        glossary=sorted(glossary.GLOSSARY.items()),
    )


def write_handout(path: str | Path, number: int = 1, *, force: bool = False) -> Path:
    """Write lesson ``number``'s offline handout to ``path``, atomically.

    Parameters
    ----------
    path
        Output HTML file; an existing file is refused unless ``force``.
    number
        Which lesson (1).
    force
        Replace an existing file.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    UsageError
        No such lesson, ``path`` exists without ``force``, or its folder is missing.
    """
    _check_lesson(number)
    path = Path(path)
    if (path.exists() and not force) or not path.parent.exists():
        # Fail before spending seconds on the figures: this write only raises write_atomically's
        # own message (file exists / folder missing) and writes nothing.
        write_atomically(path, "", force=False)
    return write_atomically(path, handout_html(number), force=force)
