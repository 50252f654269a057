"""Lesson 1 as a marimo app: run ``benchlearn lesson 1`` (or ``marimo run app.py``).

Names a browser test can rely on
--------------------------------
Sliders (``get_by_role("slider", name=...)``):
    "Rule threshold: mean nucleus radius (pixels)"   Part 1, default 15
    "Number of clusters (k)"                         Part 2, 2..6, default 2
    "Intercept (b0)"                                 Part 3, default 0.3
    "Slope (b1)"                                     Part 3, default 0.5
    "Learning rate"                                  Part 3, steps 0.01..1.2, default 0.5
    "Polynomial degree"                              Part 3, 1..10, default 1
Buttons (``get_by_role("button", name=...)``):
    "Take one step", "Run 50 steps", "Start again", "Solve exactly"
Multiselect: "Predictors" (diabetes columns, default bmi, bp, s5).
Questions (:data:`benchlearn.lessons.lesson1.questions.QUESTIONS`): one radio group each,
    inside ``[data-testid="question-<id>"]`` with the prompt as its label text; each choice is a
    ``get_by_role("radio", name=<choice>)`` (choice texts are unique across the lesson).
    After a choice, ``[data-testid="feedback-<id>"]`` (``data-correct="true"|"false"``) shows
    text starting "Correct." or "Not quite:".
Readouts (``[data-testid="readout-<id>"]``, text in the format shown):
    rule-accuracy "Rule accuracy = 87.4%", logistic-accuracy, network-accuracy (same format),
    ari "ARI = 0.654", mse "MSE = 0.0123", gd "Step 12: loss = 0.001234",
    exact "Exact: b0 = 0.1012, b1 = 1.1438, MSE = 0.000247",
    test-r2 "Test R² = 0.412", test-rmse "Test RMSE = 55.1",
    cv-rmse "Cross-validated RMSE = 55.4 ± 3.2",
    degree-rmse "Degree 1: train RMSE = 0.0710, test RMSE = 0.0850".
Divergence message: a callout containing "The steps are too long".
Figures are ``<img>`` elements with descriptive ``alt`` text.
"Show code" (the "…" menu; the server passes ``--include-code``) reveals each cell. The cells
behind the figures and readouts call benchlearn's public API themselves (imported in the first
cell), e.g. ``LinearRegression(solver="exact").fit(X_line, y_line)``, ``mean_squared_error(...)``,
``KMeans(n_clusters=k.value, ...)``, ``cross_validate(LinearRegression(), ...)``; ``compute``
supplies only the data, the settings and the longer tables.

Part 3 on the learner's own file
    Radio group "Data for Part 3": "The lesson's example: BCA protein standards" (default: the
    page is exactly as described above) or "Your own file". The latter shows a marimo file area
    labelled "Your table (CSV, TSV, TXT, XLSX or Parquet)" (the page's ``input[type=file]``),
    then dropdowns ``get_by_role("combobox", name=...)`` "Measured quantity (y)" (default: the
    last numeric column) and "Predictor (x)" (default: the first), and the checkbox "Leave out
    rows with empty cells". The data layer's message (``DataError.message``/``UsageError``)
    appears verbatim in ``[data-testid="own-data-error"]`` inside a red callout, and the widgets
    below wait until the data are usable. On the learner's data the sliders' ranges and the
    learning rates come from :func:`compute.line_settings`, and the numbers in the readouts
    (mse, exact, degree-rmse, the gradient-descent text) are printed with 6 significant digits
    (``compute.OWN_NUMBER_FORMAT``), e.g. "MSE = 0.157781"; gd keeps its format. At most
    ``compute.MAX_OWN_ROWS`` (10,000) rows, at least 3. The over-fitting demo
    ("Polynomial degree", readout degree-rmse) uses the learner's rows too, half to train and
    half to test, with the slider up to :func:`compute.own_max_degree` (it stays on the assay
    for files under 10 or over 2,000 rows, or with under 3 different x values to train on).
"""

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="benchlearn · Lesson 1")


@app.cell
def _():
    import warnings

    import marimo as mo

    # The benchlearn tools this lesson uses: every model, split and score below is one of these.
    from benchlearn import (
        PCA,
        KMeans,
        LinearRegression,
        LogisticRegression,
        MLPClassifier,
        PolynomialRegression,
    )
    from benchlearn.errors import BenchlearnError
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

    # The page's own helpers: data, settings, text, figures and quiz questions.
    from benchlearn.lessons.lesson1 import blocks, compute, content, figures, glossary, questions

    return (
        BenchlearnError,
        KFold,
        KMeans,
        LinearRegression,
        LogisticRegression,
        MLPClassifier,
        PCA,
        PolynomialRegression,
        accuracy,
        adjusted_rand_index,
        blocks,
        compute,
        content,
        contingency_table,
        cross_validate,
        figures,
        glossary,
        mean_squared_error,
        mo,
        questions,
        r2_score,
        root_mean_squared_error,
        train_test_split,
        warnings,
    )


@app.cell
def _(content, mo):
    mo.md(content.SECTIONS["intro"])
    return


@app.cell
def _(content, mo):
    _uses = "\n".join(f"- *{title}.* {example}" for title, example in content.BIOTECH_USES.values())
    mo.md(content.SECTIONS["biotech"] + "\n" + _uses)
    return


@app.cell
def _(blocks, content, figures, mo):
    mo.vstack(
        [
            mo.md(content.SECTIONS["nesting_intro"]),
            mo.Html(
                blocks.figure_html(
                    figures.nesting_diagram(),
                    "Three nested ovals: deep learning inside machine learning inside "
                    "artificial intelligence",
                )
            ),
            mo.md(content.SECTIONS["nesting_task"]),
        ]
    )
    return


@app.cell
def _(LogisticRegression, MLPClassifier, accuracy, compute, warnings):
    biopsy = compute.biopsies()
    # two models learn the diagnosis from the training biopsies' 30 standardised measurements
    with warnings.catch_warnings():
        # the network's 200 training rounds end before it has fully settled: enough here
        warnings.simplefilter("ignore")
        logistic = LogisticRegression().fit(biopsy.Z_train, biopsy.y_train)
        network = MLPClassifier(
            hidden_layer_sizes=(compute.HIDDEN_UNITS,), random_state=compute.SEED
        ).fit(biopsy.Z_train, biopsy.y_train)
    # and are scored on the test biopsies they never saw
    classifiers = {
        "logistic": logistic,
        "network": network,
        "logistic_accuracy": accuracy(biopsy.y_test, logistic.predict(biopsy.Z_test)),
        "network_accuracy": accuracy(biopsy.y_test, network.predict(biopsy.Z_test)),
        "logistic_parameters": compute.parameter_count(logistic),
        "network_parameters": compute.parameter_count(network),
    }
    return biopsy, classifiers, logistic, network


@app.cell
def _(compute, mo):
    threshold = mo.ui.slider(
        8.0,
        25.0,
        0.5,
        value=compute.DEFAULT_THRESHOLD,
        label="Rule threshold: mean nucleus radius (pixels)",
        show_value=True,
    )
    return (threshold,)


@app.cell
def _(accuracy, biopsy, blocks, classifiers, compute, content, mo, threshold):
    # the hand-written rule's calls on the test biopsies, scored against the diagnosis
    rule_calls = compute.rule_predictions(biopsy.X_test, threshold.value)
    rule_accuracy = accuracy(biopsy.y_test, rule_calls)
    mo.vstack(
        [
            threshold,
            mo.Html(blocks.accuracy_readouts(rule_accuracy, classifiers)),
            mo.md(
                content.fill(
                    "nesting_result",
                    n_test=len(biopsy.y_test),
                    n_train=len(biopsy.y_train),
                    threshold=f"{threshold.value:g}",
                    rule_accuracy=blocks.percent(rule_accuracy),
                    logistic_parameters=classifiers["logistic_parameters"],
                    logistic_accuracy=blocks.percent(classifiers["logistic_accuracy"]),
                    network_parameters=classifiers["network_parameters"],
                    network_accuracy=blocks.percent(classifiers["network_accuracy"]),
                )
            ),
            mo.md(content.SECTIONS["nesting_takeaway"]),
        ]
    )
    return rule_accuracy, rule_calls


@app.cell
def _(mo, questions):
    quiz = mo.ui.dictionary(
        {q.id: mo.ui.radio(options=list(q.choices), label=q.prompt) for q in questions.QUESTIONS}
    )
    return (quiz,)


@app.cell
def _(blocks, content, mo, questions, quiz):
    def quiz_block(objective):
        """The questions of one objective, each followed by its feedback."""
        items = [
            mo.md(
                content.fill("quiz_intro", objective=objective, goal=content.OBJECTIVES[objective])
            )
        ]
        for question in questions.questions_for(objective):
            correct, text = questions.feedback(question, quiz[question.id].value)
            items.append(
                mo.Html(f'<div data-testid="question-{question.id}">{quiz[question.id]}</div>')
            )
            if correct is not None:
                items.append(
                    mo.callout(
                        mo.Html(blocks.feedback_html(question.id, correct, text)),
                        kind="success" if correct else "danger",
                    )
                )
        return mo.vstack(items)

    return (quiz_block,)


@app.cell
def _(quiz_block):
    quiz_block(1)
    return


@app.cell
def _(blocks, classifiers, content, mo):
    mo.md(
        content.SECTIONS["supervised_intro"]
        + content.fill(
            "supervised_result",
            logistic_accuracy=blocks.percent(classifiers["logistic_accuracy"]),
        )
    )
    return


@app.cell
def _(compute, mo):
    k = mo.ui.slider(
        2, 6, 1, value=compute.DEFAULT_K, label="Number of clusters (k)", show_value=True
    )
    return (k,)


@app.cell
def _(PCA, biopsy):
    # each biopsy's position along the first two principal components of its 30 measurements
    pca_coordinates = PCA(n_components=2).fit_transform(biopsy.Z_all)
    return (pca_coordinates,)


@app.cell
def _(
    KMeans,
    adjusted_rand_index,
    biopsy,
    blocks,
    compute,
    content,
    contingency_table,
    figures,
    k,
    mo,
    pca_coordinates,
):
    # k-means sees only the measurements, never the diagnosis
    clustering = KMeans(n_clusters=k.value, random_state=compute.SEED).fit(biopsy.Z_all)
    cluster_labels = clustering.labels_ + 1  # clusters numbered from 1 on the page
    grouping = {
        "labels": cluster_labels,
        "table": contingency_table(biopsy.y_all, cluster_labels).rename_axis(index="diagnosis"),
        "ari": adjusted_rand_index(biopsy.y_all, cluster_labels),
    }
    mo.vstack(
        [
            k,
            mo.md(content.SECTIONS["clusters_map"]),
            mo.Html(
                blocks.figure_html(
                    figures.clusters_map(pca_coordinates, grouping["labels"], biopsy.y_all),
                    f"Biopsies on the first two principal components, coloured by {k.value} "
                    "k-means clusters (left) and by diagnosis (right)",
                )
            ),
            mo.md(content.fill("clusters_result", k=k.value, ari=f"{grouping['ari']:.3f}")),
            mo.Html(
                blocks.table_html(grouping["table"])
                + blocks.readout_html(f"ARI = {grouping['ari']:.3f}", "ari")
            ),
            mo.md(content.SECTIONS["clusters_takeaway"]),
        ]
    )
    return cluster_labels, clustering, grouping


@app.cell
def _(quiz_block):
    quiz_block(2)
    return


@app.cell
def _(compute, mo):
    data_source = mo.ui.radio(
        options=list(compute.DATA_SOURCES), value=compute.BUILTIN_DATA, label="Data for Part 3"
    )
    upload = mo.ui.file(
        filetypes=list(compute.UPLOAD_TYPES),
        kind="area",
        max_size=compute.UPLOAD_MAX_BYTES,
        label="Your table (CSV, TSV, TXT, XLSX or Parquet)",
    )
    drop_missing = mo.ui.checkbox(label="Leave out rows with empty cells")
    return data_source, drop_missing, upload


@app.cell
def _(content, mo):
    def data_problem(message):
        """The data layer's message in a red box, findable by data-testid="own-data-error"."""
        import html as _html

        _hint = content.SECTIONS["own_drop_hint"] if "--drop-missing" in message else ""
        return mo.callout(
            mo.vstack(
                [mo.Html(f'<p data-testid="own-data-error">{_html.escape(message)}</p>')]
                + ([mo.md(_hint)] if _hint else [])
            ),
            kind="danger",
        )

    return (data_problem,)


@app.cell
def _(BenchlearnError, compute, data_source, upload):
    own_table, own_columns, own_problem = None, [], None
    if data_source.value == compute.OWN_DATA and upload.value:
        try:
            own_table = compute.read_upload(upload.name(), upload.contents())
            own_columns = compute.numeric_columns(own_table)
        except BenchlearnError as _error:
            own_table, own_columns, own_problem = None, [], _error.message
    return own_columns, own_problem, own_table


@app.cell
def _(compute, mo, own_columns):
    _y, _x = compute.default_columns(own_columns) if own_columns else (None, None)
    y_column = mo.ui.dropdown(options=own_columns, value=_y, label="Measured quantity (y)")
    x_column = mo.ui.dropdown(options=own_columns, value=_x, label="Predictor (x)")
    return x_column, y_column


@app.cell
def _(
    BenchlearnError,
    compute,
    content,
    data_problem,
    data_source,
    drop_missing,
    mo,
    own_problem,
    own_table,
    upload,
    x_column,
    y_column,
):
    _shown = [
        mo.md(content.SECTIONS["regression_intro"]),
        mo.md(content.SECTIONS["data_choice"]),
        data_source,
    ]
    if data_source.value == compute.BUILTIN_DATA:
        X_line, y_line = compute.assay_line_data()
        line = compute.builtin_line_settings()
    else:
        _shown.append(upload)
        # with no usable data the widgets below wait (mo.stop) instead of failing
        mo.stop(own_problem is not None, mo.vstack([*_shown, data_problem(own_problem or "")]))
        mo.stop(own_table is None, mo.vstack([*_shown, mo.md(content.SECTIONS["own_waiting"])]))
        _shown.append(mo.hstack([y_column, x_column, drop_missing], justify="start", gap=2))
        try:
            X_line, y_line = compute.own_line_data(
                own_table, y_column.value, x_column.value, drop_missing=drop_missing.value
            )
        except BenchlearnError as _error:
            mo.stop(True, mo.vstack([*_shown, data_problem(_error.message)]))
        line = compute.line_settings(X_line, y_line)
        _shown.append(
            mo.md(
                content.fill(
                    "own_loaded",
                    rows=len(y_line),
                    source=line.source,
                    y_name=line.y_label,
                    x_name=line.x_label,
                )
            )
        )
        if line.dropped_rows:
            _shown.append(
                mo.callout(
                    mo.md(
                        content.fill(
                            "own_dropped",
                            count=len(line.dropped_rows),
                            rows=", ".join(map(str, line.dropped_rows)),
                        )
                    ),
                    kind="warn",
                )
            )
    mo.vstack(_shown)
    return X_line, line, y_line


@app.cell
def _(LinearRegression, X_line, mean_squared_error, y_line):
    # the least-squares line, solved exactly, and its mean squared error ("Solve exactly")
    exact_line = LinearRegression(solver="exact").fit(X_line, y_line)
    exact_b0, exact_b1 = float(exact_line.intercept_), float(exact_line.coef_[0])
    exact_loss = mean_squared_error(y_line, exact_line.predict(X_line))
    return exact_b0, exact_b1, exact_line, exact_loss


@app.cell
def _(line, mo):
    b0 = mo.ui.slider(
        line.b0.start,
        line.b0.stop,
        line.b0.step,
        value=line.b0.value,
        label="Intercept (b0)",
        show_value=True,
    )
    b1 = mo.ui.slider(
        line.b1.start,
        line.b1.stop,
        line.b1.step,
        value=line.b1.value,
        label="Slope (b1)",
        show_value=True,
    )
    return b0, b1


@app.cell
def _(X_line, b0, b1, blocks, content, figures, line, mean_squared_error, mo, y_line):
    # the mean squared error of the line the sliders draw
    slider_mse = mean_squared_error(y_line, b0.value + b1.value * X_line.iloc[:, 0])
    if line.builtin:
        _line_figure = figures.line_with_residuals(X_line.iloc[:, 0], y_line, b0.value, b1.value)
        _line_alt = (
            f"BSA standards with the line {b0.value:.2f} + {b1.value:.2f} × "
            "concentration and the residual of each well"
        )
    else:
        _line_figure = figures.line_with_residuals(
            X_line.iloc[:, 0],
            y_line,
            b0.value,
            b1.value,
            xlabel=line.x_label,
            ylabel=line.y_label,
            x_name=line.x_label,
            number_format=".3g",
            points="your rows",
        )
        _line_alt = (
            f"The rows of {line.source} with the line {b0.value:.3g} + {b1.value:.3g} × "
            f"{line.x_label} and the residual of each row"
        )
    mo.vstack(
        [
            mo.hstack([b0, b1], justify="start", gap=2),
            mo.Html(blocks.readout_html(f"MSE = {line.number(slider_mse, '.4f')}", "mse")),
            mo.Html(blocks.figure_html(_line_figure, _line_alt)),
            mo.md(content.SECTIONS["residuals"] + content.SECTIONS["loss"]),
            mo.Html(
                blocks.figure_html(
                    figures.loss_surface(
                        X_line.iloc[:, 0],
                        y_line,
                        b0.value,
                        b1.value,
                        b0_range=(line.b0.start, line.b0.stop),
                        b1_range=(line.b1.start, line.b1.stop),
                    ),
                    "Contour map of the mean squared error over intercept and slope, with "
                    "the point set by the sliders",
                )
            ),
        ]
    )
    return (slider_mse,)


@app.cell
def _(content, mo):
    mo.md(content.SECTIONS["optimization"])
    return


@app.cell
def _(line, mo):
    _ = line  # other data: gradient descent starts again from step 0
    get_steps, set_steps = mo.state(0)
    return get_steps, set_steps


@app.cell
def _(compute, line, mo, set_steps):
    learning_rate = mo.ui.slider(
        steps=list(line.learning_rates),
        value=line.default_learning_rate,
        label="Learning rate",
        show_value=True,
        on_change=lambda _: set_steps(0),
    )
    one_step = mo.ui.button(
        label="Take one step", on_click=lambda _: set_steps(lambda s: min(s + 1, compute.MAX_STEPS))
    )
    fifty_steps = mo.ui.button(
        label="Run 50 steps", on_click=lambda _: set_steps(lambda s: min(s + 50, compute.MAX_STEPS))
    )
    restart = mo.ui.button(label="Start again", on_click=lambda _: set_steps(0))
    solve = mo.ui.button(label="Solve exactly", value=0, on_click=lambda count: count + 1)
    return fifty_steps, learning_rate, one_step, restart, solve


@app.cell
def _(
    LinearRegression,
    X_line,
    b0,
    b1,
    blocks,
    compute,
    content,
    exact_b0,
    exact_b1,
    exact_loss,
    fifty_steps,
    figures,
    get_steps,
    learning_rate,
    line,
    mo,
    one_step,
    restart,
    solve,
    warnings,
    y_line,
):
    # gradient descent from b0 = b1 = 0, for as many steps as the buttons asked for
    steps_taken = get_steps()
    with warnings.catch_warnings():
        # a run cut short "has not converged" by design, and a runaway run is explained below
        warnings.simplefilter("ignore")
        gd_model = LinearRegression(
            solver="gd", learning_rate=learning_rate.value, max_iter=max(steps_taken, 1), tol=1e-12
        ).fit(X_line, y_line)
    descent = compute.descent_so_far(gd_model, X_line, steps_taken)
    _last = descent.history.iloc[-1]
    _step = int(_last["step"])
    _items = [
        mo.hstack([learning_rate, one_step, fifty_steps, restart, solve], justify="start"),
        mo.Html(blocks.descent_readout(descent)),
    ]
    if solve.value:
        _items.append(mo.Html(blocks.exact_readout(line, exact_b0, exact_b1, exact_loss)))
    if descent.diverged or descent.growing:
        _items.append(
            mo.callout(
                mo.md(
                    content.fill(
                        "gd_diverged",
                        learning_rate=f"{learning_rate.value:g}",
                        limit=line.number(descent.limit, ".3f"),
                    )
                ),
                kind="danger",
            )
        )
    else:
        _items.append(
            mo.md(
                content.fill(
                    "gd_status",
                    steps=_step,
                    b0=line.number(_last["intercept"], ".4f"),
                    b1=line.number(_last.iloc[4], ".4f"),
                    loss_readout=line.number(_last["loss"], ".6f"),
                    exact_loss=line.number(exact_loss, ".6f"),
                )
            )
        )
    _items.append(
        mo.hstack(
            [
                mo.Html(
                    blocks.figure_html(
                        figures.loss_surface(
                            X_line.iloc[:, 0],
                            y_line,
                            b0.value,
                            b1.value,
                            path=descent.history,
                            exact=(exact_b0, exact_b1) if solve.value else None,
                            b0_range=(line.b0.start, line.b0.stop),
                            b1_range=(line.b1.start, line.b1.stop),
                        ),
                        f"Loss surface with the path of {_step} gradient-descent steps",
                    )
                ),
                mo.Html(
                    blocks.figure_html(
                        figures.loss_per_step(descent.history, exact_loss),
                        "Loss after each gradient-descent step, on a log scale",
                    )
                ),
            ],
            justify="start",
            wrap=True,
        )
    )
    mo.vstack(_items)
    return descent, gd_model, steps_taken


@app.cell
def _(X_line, compute, content, line, mo, y_line):
    if line.builtin:
        scaling = compute.scaling_comparison(X_line, y_line)
        _text = content.fill(
            "gd_scaling",
            mg_condition=f"{scaling.loc['mg/mL', 'condition_number']:.3g}",
            ug_condition=f"{scaling.loc['µg/mL', 'condition_number']:.3g}",
            mg_loss=f"{scaling.loc['mg/mL', 'loss_after_steps']:.6f}",
            ug_loss=f"{scaling.loc['µg/mL', 'loss_after_steps']:.6f}",
            exact_loss=f"{scaling.loc['mg/mL', 'exact_loss']:.6f}",
        )
    else:
        scaling = compute.standardised_scaling_comparison(X_line, y_line)
        _text = content.fill(
            "own_scaling",
            x_name=line.x_label,
            given_condition=f"{scaling.loc['as given', 'condition_number']:.3g}",
            standard_condition=f"{scaling.loc['standardised', 'condition_number']:.3g}",
            given_loss=f"{scaling.loc['as given', 'loss_after_steps']:.6g}",
            standard_loss=f"{scaling.loc['standardised', 'loss_after_steps']:.6g}",
            own_exact_loss=f"{scaling.loc['as given', 'exact_loss']:.6g}",
        )
    mo.md(_text)
    return (scaling,)


@app.cell
def _(compute, mo):
    predictors = mo.ui.multiselect(
        options=compute.diabetes_features(),
        value=list(compute.DEFAULT_PREDICTORS),
        label="Predictors",
    )
    return (predictors,)


@app.cell
def _(LinearRegression, blocks, compute, content, mo, predictors):
    chosen = list(predictors.value) or list(compute.DEFAULT_PREDICTORS)
    X_diabetes, y_diabetes = compute.diabetes_data(chosen)
    # one line through all patients: progression = b0 + one slope per chosen measurement
    diabetes_model = LinearRegression().fit(X_diabetes, y_diabetes)
    _first = chosen[0]
    _row = diabetes_model.params_.loc[_first]
    mo.vstack(
        [
            mo.md(content.SECTIONS["several_predictors"]),
            predictors,
            mo.Html(blocks.parameter_table_html(diabetes_model)),
            mo.md(
                content.fill(
                    "several_reading",
                    feature=_first,
                    unit=compute.diabetes_units()[_first],
                    estimate=f"{_row['estimate']:.3g}",
                    ci_lower=f"{_row['ci_lower']:.3g}",
                    ci_upper=f"{_row['ci_upper']:.3g}",
                )
            ),
        ]
    )
    return X_diabetes, chosen, diabetes_model, y_diabetes


@app.cell
def _(
    LinearRegression,
    X_diabetes,
    blocks,
    compute,
    content,
    figures,
    mo,
    r2_score,
    root_mean_squared_error,
    train_test_split,
    y_diabetes,
):
    # fit on three quarters of the patients, score on the quarter the model never saw
    X_train, X_test, y_train, y_test = train_test_split(
        X_diabetes, y_diabetes, test_size=compute.TEST_FRACTION, random_state=compute.SEED
    )
    split_model = LinearRegression().fit(X_train, y_train)
    _fitted, _fitted_train = split_model.predict(X_test), split_model.predict(X_train)
    scores = {
        "model": split_model,
        "X_test": X_test,
        "y_test": y_test,
        "train_r2": r2_score(y_train, _fitted_train),
        "test_r2": r2_score(y_test, _fitted),
        "train_rmse": root_mean_squared_error(y_train, _fitted_train),
        "test_rmse": root_mean_squared_error(y_test, _fitted),
    }
    mo.vstack(
        [
            mo.md(content.SECTIONS["evaluation"]),
            mo.Html(blocks.split_readouts(scores)),
            mo.md(content.SECTIONS["residual_plot"]),
            mo.Html(
                blocks.figure_html(
                    figures.residual_plot(_fitted, y_test.to_numpy() - _fitted),
                    "Residuals of the test patients against their predicted progression",
                )
            ),
        ]
    )
    return X_test, X_train, scores, split_model, y_test, y_train


@app.cell
def _(
    KFold,
    LinearRegression,
    X_diabetes,
    blocks,
    compute,
    content,
    cross_validate,
    mo,
    y_diabetes,
):
    # five folds: each fifth of the patients is the test set once, the rest train the model
    cv_scores = cross_validate(
        LinearRegression(),
        X_diabetes,
        y_diabetes,
        cv=KFold(compute.CV_FOLDS, shuffle=True, random_state=compute.SEED),
        scoring=["r2", "rmse"],
    )
    mo.vstack(
        [
            mo.md(content.SECTIONS["cross_validation"]),
            mo.Html(blocks.cross_validation_html(cv_scores)),
        ]
    )
    return (cv_scores,)


@app.cell
def _(X_line, compute, content, line, mo, y_line):
    _text = content.SECTIONS["overfitting"]
    curve_own = False
    if not line.builtin:
        _split = compute.own_curve_split(X_line, y_line)
        _max = compute.own_max_degree(X_line, y_line, _split)
        curve_own = _max >= 2  # degree 1 alone shows no over-fitting
        if curve_own:
            _text += content.fill(
                "own_overfitting",
                source=line.source,
                n_train=len(_split[2]),
                n_test=len(_split[3]),
                max_degree=_max,
            )
        else:
            _text += content.fill(
                "own_overfitting_too_few",
                min_rows=compute.MIN_OWN_DEGREE_ROWS,
                max_rows=f"{compute.MAX_OWN_DEGREE_ROWS:,}",
            )
    if curve_own:
        curve_train_test = _split
        degree_table = compute.degree_errors(X_line, y_line, _split, _max)
    else:
        curve_train_test = compute.curve_split()
        degree_table = compute.overfitting_table()
    degree = mo.ui.slider(
        1, int(degree_table.index.max()), 1, value=1, label="Polynomial degree", show_value=True
    )
    mo.md(_text)
    return curve_own, curve_train_test, degree, degree_table


@app.cell
def _(
    PolynomialRegression,
    blocks,
    curve_own,
    curve_train_test,
    degree,
    degree_table,
    figures,
    line,
    mo,
    warnings,
):
    _X_train, _X_test, _y_train, _y_test = curve_train_test
    with warnings.catch_warnings():
        # high degrees on a dozen points are nearly singular: that instability is the lesson
        warnings.simplefilter("ignore")
        polynomial = PolynomialRegression(degree=degree.value).fit(_X_train, _y_train)
    _row = degree_table.loc[degree.value]
    if curve_own:
        _shown = {k: line.number(_row[k], ".4f") for k in ("train_rmse", "test_rmse")}
        _labels = {"xlabel": line.x_label, "ylabel": line.y_label, "rows": "rows"}
        _fit_alt = f"Degree {degree.value} polynomial through the training rows of {line.source}"
        _error_label = {"ylabel": f"RMSE ({line.y_label})"}
    else:
        _shown = {k: f"{_row[k]:.4f}" for k in ("train_rmse", "test_rmse")}
        _labels, _error_label = {}, {}
        _fit_alt = f"Degree {degree.value} polynomial through the training wells"
    mo.vstack(
        [
            degree,
            mo.Html(
                blocks.readout_html(
                    f"Degree {degree.value}: train RMSE = {_shown['train_rmse']}, "
                    f"test RMSE = {_shown['test_rmse']}",
                    "degree-rmse",
                )
            ),
            mo.hstack(
                [
                    mo.Html(
                        blocks.figure_html(
                            figures.polynomial_fit(
                                polynomial, _X_train, _y_train, _X_test, _y_test, **_labels
                            ),
                            _fit_alt + ", with the test " + ("rows" if curve_own else "wells"),
                        )
                    ),
                    mo.Html(
                        blocks.figure_html(
                            figures.error_by_degree(degree_table, degree.value, **_error_label),
                            "Training, test and cross-validation RMSE against polynomial degree",
                        )
                    ),
                ],
                justify="start",
                wrap=True,
            ),
        ]
    )
    return (polynomial,)


@app.cell
def _(quiz_block):
    quiz_block(3)
    return


@app.cell
def _(content, mo):
    mo.md(content.SECTIONS["own_data"])
    return


@app.cell
def _(content, glossary, mo):
    _entries = "\n".join(
        f"- *{term}*: {definition}" for term, definition in sorted(glossary.GLOSSARY.items())
    )
    mo.md(content.SECTIONS["glossary_intro"] + "\n" + _entries)
    return


if __name__ == "__main__":
    app.run()
