"""Lesson 1 as a marimo app: run ``benchlearn lesson 1`` (or ``marimo run app.py``).

The offline handout (``benchlearn lesson 1 --export FILE.html``) is this app's own run
(:mod:`benchlearn.lessons.export`), so every word and number is written here once.

Names a browser test can rely on
--------------------------------
Sliders (``get_by_role("slider", name=...)``):
    "Rule threshold: mean nucleus radius (pixels)"   Part 1, default 15
    "Number of clusters (k)"                         Part 2, 2..6, default 2
Radio group "Data for Part 2" (:data:`part2.DATA_CHOICES`): "Breast biopsies (label: the
    diagnosis)" (default) or "Tumour gene expression (label: ER status)"; it and the k slider
    drive readout-supervised-accuracy, the contingency table, readout-ari and the map.
    "Intercept (b0)"                                 Part 3, default 0.3
    "Slope (b1)"                                     Part 3, default 0.5
    "Learning rate"                                  Part 3, steps 0.01..1.2, default 0.5
    "Polynomial degree"                              Part 3, 1..9 on the ELISA, default 1
Buttons (``get_by_role("button", name=...)``):
    "Take one step", "Run 50 steps", "Start again", "Solve exactly" (which also moves the
    b0 and b1 sliders to the exact line, to the sliders' step)
Multiselect: "Predictors" (the solubility molecules' RDKit descriptors, default logP,
    mol_weight, aromatic_proportion; :mod:`benchlearn.lessons.lesson1.several`).
Questions (:data:`benchlearn.lessons.lesson1.questions.QUESTIONS`): one radio group each,
    inside ``[data-testid="question-<id>"]`` with the prompt as its label text; each choice is a
    ``get_by_role("radio", name=<choice>)`` (choice texts are unique across the lesson).
    After a choice, ``[data-testid="feedback-<id>"]`` (``data-correct="true"|"false"``) shows
    text starting "Correct." or "Not quite:".
Readouts (``[data-testid="readout-<id>"]``, text in the format shown):
    rule-accuracy "Rule accuracy = 87.4%", logistic-accuracy, network-accuracy (same format),
    supervised-accuracy "Trained with the labels: 82.0% of 50 test tumours right (always
    ER-positive: 68.0%)", ari "ARI = 0.654", mse "MSE = 0.0123", gd "Step 12: loss = 0.001234",
    exact "Exact: b0 = 0.1012, b1 = 1.1438, MSE = 0.000247",
    curve "Standard curve: R² = 0.9943, slope = 1.138 OD per tenfold concentration",
    test-r2 "Test R² = 0.794", test-rmse "Test RMSE = 0.92 log units",
    cv-rmse "Cross-validated RMSE = 0.91 ± 0.07 log units" (on a learner's file: 4
    significant digits, no unit),
    degree-rmse "Degree 1: train RMSE = 0.0710, test RMSE = 0.0850".
Divergence message: a callout containing "The steps are too long".
The rule's histogram: ``[data-testid="rule-histogram"]`` (``data-threshold`` = the slider's
value) holding the picture and the threshold's line ``[data-testid="rule-line"]``.

Part 4, "Where machine learning meets biotech, live" (words, controls and readout formats in
:mod:`benchlearn.lessons.lesson1.biotech_page`, numbers from
:mod:`benchlearn.lessons.lesson1.biotech`). On the live page each example is first computed
when scrolled into view (``mo.lazy``), so the first load does not wait for it, and at once when
its control moves; in ``app.run()`` (the tests, the handout) at once. One control each:
    dropdown "Descriptors used to predict solubility" (default "the four of Delaney's ESOL
        equation") -> readout-solubility "From logP, mol_weight, rotatable_bonds,
        aromatic_proportion: test R² = 0.793, test RMSE = 0.92 log units", and the test
        molecule drawn as an inline ``<svg>`` inside ``.molecule``;
    slider "Untested compounds tested next (%)" (steps 2, 5, 10, 20, 30, 50, 100; default 10;
        aria-valuenow is the step's index) -> readout-screening "Top 10%: 71 compounds
        tested, 70 hits (98.6%) against 35.4% in random order: enrichment 2.8×, about 127
        tests saved";
    slider "Tumour groups asked for (k)" (2..6, default 2) -> readout-subtypes
        "k = 2: ARI with ER status = 0.221, with grade = 0.256";
    slider "Cell groups asked for (k)" (2..15, default 10) -> readout-cell-types
        "k = 10: ARI with the 10 cell types = 0.605";
    slider "Annotated pixels to learn from" (steps 20 .. 10000, default 1000; index as above)
        -> readout-nuclei "1000 annotated pixels: IoU = 0.869 (brightness alone: 0.676)";
    dropdown "Patient groups by" ("age at diagnosis" default, or "tumour grade") ->
        readout-bias "Overall accuracy = 82.3%; under 40: 69.4%; 50 and over: 94.0%" (worst
        group, then best) and readout-bias-shift "Trained on grade 1-2 tumours: accuracy
        86.7% on grade 1-2, 62.7% on grade 3", then what the gap means for a patient and
        what to ask.
Each example's output also holds a figure (``<img>``), the kind of learning, what it shows
and what it does not. Its questions are objective 4's (ids solubility_kind, nuclei_kind,
cell_types_kind, screening_saves_tests, bias_per_group).
Figures are ``<img>`` elements with descriptive ``alt`` text.
"Show code" (the "…" menu; the server passes ``--include-code``) reveals each cell. The cells
behind the figures and readouts call benchlearn's public API themselves (imported in the first
cell), e.g. ``LinearRegression(solver="exact").fit(X_line, y_line)``, ``mean_squared_error(...)``,
``KMeans(n_clusters=k.value, ...)``, ``cross_validate(LinearRegression(), ...)``; the lesson's
modules supply only the data (``data``), the widgets' settings (``settings``), the learner's
file (``own_data``) and the longer tables (``descent``, ``overfitting``).

Part 3 on the learner's own file
    Radio group "Data for Part 3": "The lesson's example: ELISA standards (DNase, run 1)"
    (default: the page is exactly as described above) or "Your own file". The latter shows a
    marimo file area
    labelled "Your table (CSV, TSV, TXT, XLSX or Parquet)" (the page's ``input[type=file]``),
    then dropdowns ``get_by_role("combobox", name=...)`` "Measured quantity (y)" (default: the
    last numeric column) and "Predictor (x)" (default: the first), and the checkbox "Leave out
    rows with empty cells". Until a usable file and columns are chosen, every section below
    keeps running on the lesson's example. A problem with the file appears in
    ``[data-testid="own-data-error"]`` inside a red callout. On the learner's data the sliders'
    ranges and the learning rates come from :func:`settings.line_settings`, and the numbers in
    the readouts (mse, exact, degree-rmse, the gradient-descent text) are printed with 6
    significant digits (``settings.OWN_NUMBER_FORMAT``), e.g. "MSE = 0.157781"; gd keeps its
    format. At most ``own_data.MAX_OWN_ROWS`` (10,000) rows, at least 3. The over-fitting demo
    ("Polynomial degree", readout degree-rmse) uses the learner's rows too, half to train and
    half to test, with the slider up to :func:`overfitting.own_max_degree` (it stays on the
    assay for files under 10 or over 2,000 rows, or with under 3 different x values to train
    on).
Part 3's figures that follow a control (the line, the loss surfaces, the loss per step, the
polynomial and the errors by degree) are an ``<img>`` drawn once per data set with the moving
part in an ``<svg>`` over it, inside ``[data-figure="line"|"surface"|"descent"|"loss"|"curve"|
"errors"]`` (:mod:`benchlearn.lessons.lesson1.part3_figures`).
"""

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="benchlearn · Lesson 1")


@app.cell
def _():
    import warnings

    import marimo as mo
    import numpy as np

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
    from benchlearn.lessons.lesson1 import (
        approaches,
        blocks,
        content,
        data,
        descent,
        figures,
        glossary,
        overfitting,
        own_data,
        questions,
        settings,
    )

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
        approaches,
        blocks,
        content,
        contingency_table,
        cross_validate,
        data,
        descent,
        figures,
        glossary,
        mean_squared_error,
        mo,
        np,
        overfitting,
        own_data,
        questions,
        r2_score,
        root_mean_squared_error,
        settings,
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
        ]
    )
    return


@app.cell
def _(content, mo):
    mo.md(content.SECTIONS["nesting_task"])
    return


@app.cell
def _(LogisticRegression, MLPClassifier, accuracy, approaches, data, kept, warnings):
    biopsy = data.biopsies()

    def _train():
        # two models learn the diagnosis from the training biopsies' 30 standardised measurements
        with warnings.catch_warnings():
            # the network's 200 training rounds end before it has fully settled: enough here
            warnings.simplefilter("ignore")
            _logistic = LogisticRegression().fit(biopsy.Z_train, biopsy.y_train)
            _network = MLPClassifier(
                hidden_layer_sizes=(approaches.HIDDEN_UNITS,), random_state=data.SEED
            ).fit(biopsy.Z_train, biopsy.y_train)
        return _logistic, _network

    # the same data and seed give the same models: trained once for every learner's session
    logistic, network = kept(("biopsy classifiers", approaches.HIDDEN_UNITS, data.SEED), _train)
    # and are scored on the test biopsies they never saw
    classifiers = {
        "logistic": logistic,
        "network": network,
        "logistic_accuracy": accuracy(biopsy.y_test, logistic.predict(biopsy.Z_test)),
        "network_accuracy": accuracy(biopsy.y_test, network.predict(biopsy.Z_test)),
        "logistic_parameters": approaches.parameter_count(logistic),
        "network_parameters": approaches.parameter_count(network),
    }
    return biopsy, classifiers, logistic, network


@app.cell
def _(mo, settings):
    # Parts 1 and 2's own helpers: the rule's histogram, and Part 2's two data sets
    from benchlearn.lessons.lesson1 import part2, rule_histogram

    if mo.running_in_notebook():  # a served lesson: prepare every k of Part 2 in the background
        part2.warm_up()
    threshold = mo.ui.slider(
        rule_histogram.LOW,
        rule_histogram.HIGH,
        rule_histogram.STEP,
        value=settings.DEFAULT_THRESHOLD,
        label="Rule threshold: mean nucleus radius (pixels)",
        show_value=True,
    )
    return part2, rule_histogram, threshold


@app.cell
def _(biopsy, classifiers, content, mo):
    mo.md(
        content.fill(
            "nesting_result",
            n_test=len(biopsy.y_test),
            n_train=len(biopsy.y_train),
            logistic_parameters=classifiers["logistic_parameters"],
            network_parameters=classifiers["network_parameters"],
        )
    )
    return


@app.cell
def _(
    accuracy,
    approaches,
    biopsy,
    blocks,
    classifiers,
    content,
    mo,
    rule_histogram,
    threshold,
):
    # the hand-written rule's calls on the test biopsies, scored against the diagnosis
    rule_calls = approaches.rule_predictions(biopsy.X_test, threshold.value)
    rule_accuracy = accuracy(biopsy.y_test, rule_calls)
    # the slider, the three accuracies and the rule's mistakes beside the histogram they read
    _mistakes = rule_histogram.mistakes(biopsy.X_test, biopsy.y_test, threshold.value)
    mo.hstack(
        [
            mo.vstack(
                [
                    threshold,
                    mo.Html(blocks.accuracy_readouts(rule_accuracy, classifiers)),
                    mo.md(
                        content.fill(
                            "rule_mistakes",
                            false_alarms=_mistakes["false_alarms"],
                            missed=_mistakes["missed"],
                        )
                    ),
                ]
            ),
            mo.Html(rule_histogram.histogram_html(threshold.value)),
        ],
        widths=[1, 1.35],
        align="start",
    )
    return rule_accuracy, rule_calls


@app.cell
def _(content, mo):
    mo.md(content.SECTIONS["nesting_takeaway"])
    return


@app.cell
def _(mo, questions):
    # every pick of every question, in order: the feedback and the score depend on the picks
    get_picks, set_picks = mo.state({})
    quiz = mo.ui.dictionary(
        {q.id: mo.ui.radio(options=list(q.choices), label=q.prompt) for q in questions.QUESTIONS},
        on_change=lambda answers: set_picks(lambda picks: questions.record_picks(picks, answers)),
    )
    return get_picks, quiz


@app.cell
def _(blocks, content, get_picks, mo, questions, quiz):
    def quiz_block(objective, slide):
        """One slide of an objective's questions (its heading on the first), each followed by
        the feedback on its picks so far."""
        items = []
        if slide == 0:
            _goal = content.OBJECTIVES[objective]
            items.append(mo.md(content.fill("quiz_intro", objective=objective, goal=_goal)))
        for question in questions.on_slide(objective, slide):
            items.append(
                mo.Html(f'<div data-testid="question-{question.id}">{quiz[question.id]}</div>')
            )
            judged = questions.feedback(question, get_picks().get(question.id, ()))
            if judged is not None:
                items.append(blocks.feedback_callout(mo, question.id, judged))
        return mo.vstack(items)

    return (quiz_block,)


@app.cell
def _(quiz_block):
    quiz_block(1, 0)
    return


@app.cell
def _(quiz_block):
    quiz_block(1, 1)
    return


@app.cell
def _(content, mo):
    mo.md(
        content.SECTIONS["supervised_intro"]
        + content.SECTIONS["supervised_result"]
        + content.SECTIONS["clusters_map"]
        + content.SECTIONS["clusters_result"]
    )
    return


@app.cell
def _(mo, part2):
    part2_data = mo.ui.radio(
        options=part2.DATA_CHOICES,
        value=next(name for name, key in part2.DATA_CHOICES.items() if key == part2.DEFAULT_DATA),
        label="Data for Part 2",
    )
    return (part2_data,)


@app.cell
def _(mo, part2, settings):
    k = mo.ui.slider(
        part2.K_CHOICES[0],
        part2.K_CHOICES[-1],
        1,
        value=settings.DEFAULT_K,
        label="Number of clusters (k)",
        show_value=True,
    )
    return (k,)


@app.cell
def _(part2, part2_data):
    # the chosen data: the biopsies of Part 1, or the tumours' gene expression
    part2_rows = part2.rows_for(part2_data.value)
    return (part2_rows,)


@app.cell
def _(LogisticRegression, accuracy, classifiers, kept, part2):
    tumours = part2.tumours()
    # Part 1's kind of model, trained on the training tumours' ER status, scored on the others
    # (trained once for every learner's session: the same rows give the same model)
    er_logistic = kept(
        ("tumour ER logistic",), lambda: LogisticRegression().fit(tumours.Z_train, tumours.y_train)
    )
    supervised_accuracy = {
        "biopsies": classifiers["logistic_accuracy"],
        "tumours": accuracy(tumours.y_test, er_logistic.predict(tumours.Z_test)),
    }
    return er_logistic, supervised_accuracy, tumours


@app.cell
def _(PCA, part2, part2_rows):
    # the map's axes: the first two principal components of the chosen data's features
    # (fitted once per data set and kept, like the k-means fits below)
    pca = part2.fitted(PCA(n_components=2), part2_rows.key)
    return (pca,)


@app.cell
def _(KMeans, adjusted_rand_index, contingency_table, data, k, part2, part2_rows):
    # k-means sees only the features, never the labels; each k is fitted once and kept
    clustering = part2.fitted(KMeans(n_clusters=k.value, random_state=data.SEED), part2_rows.key)
    cluster_labels = clustering.labels_ + 1  # clusters numbered from 1 on the page
    grouping = {
        "labels": cluster_labels,
        "table": contingency_table(part2_rows.y_all, cluster_labels).rename_axis(
            index=part2_rows.label
        ),
        "ari": adjusted_rand_index(part2_rows.y_all, cluster_labels),
    }
    return cluster_labels, clustering, grouping


@app.cell
def _(blocks, grouping, k, mo, part2, part2_data, part2_rows, pca, supervised_accuracy):
    # the two controls beside what they change: the scores, the table and the map
    _key = part2_rows.key
    mo.hstack(
        [
            mo.vstack(
                [
                    part2_data,
                    mo.Html(part2.supervised_readout(_key, supervised_accuracy[_key])),
                    k,
                    mo.Html(
                        blocks.table_html(grouping["table"])
                        + blocks.readout_html(f"ARI = {grouping['ari']:.3f}", "ari")
                    ),
                ]
            ),
            # every row drawn at pca.transform(its features), coloured by cluster and by label
            mo.Html(part2.clusters_map_html(_key, tuple(grouping["labels"].tolist()), pca)),
        ],
        widths=[1, 2],
        align="start",
    )
    return


@app.cell
def _(KMeans, adjusted_rand_index, blocks, content, data, mo, part2, settings, supervised_accuracy):
    # both data sets at the starting k, for the comparison in the text
    _kmeans = KMeans(n_clusters=settings.DEFAULT_K, random_state=data.SEED)
    _ari = {
        key: adjusted_rand_index(part2.rows_for(key).y_all, part2.fitted(_kmeans, key).labels_)
        for key in part2.DATA_CHOICES.values()
    }
    mo.md(
        content.fill(
            "clusters_takeaway",
            k=settings.DEFAULT_K,
            biopsies_ari=f"{_ari['biopsies']:.2f}",
            tumours_ari=f"{_ari['tumours']:.2f}",
            tumours_accuracy=blocks.percent(supervised_accuracy["tumours"]),
            tumours_majority=blocks.percent(part2.tumours().majority_share()[1]),
        )
    )
    return


@app.cell
def _(quiz_block):
    quiz_block(2, 0)
    return


@app.cell
def _(quiz_block):
    quiz_block(2, 1)
    return


@app.cell
def _():
    # Part 3's figures that follow a control: drawn once per data set, the moving part over it;
    # its results kept for every learner of the server, by what they depend on
    from benchlearn.lessons.lesson1 import part3_figures
    from benchlearn.lessons.shared import fingerprint, kept

    return fingerprint, kept, part3_figures


@app.cell
def _(content, mo):
    mo.md(content.subsections("regression_intro")[0])
    return


@app.cell
def _(content, mo):
    mo.md(content.subsections("regression_intro")[1])
    return


@app.cell
def _(mo, own_data):
    data_source = mo.ui.radio(
        options=list(own_data.DATA_SOURCES), value=own_data.BUILTIN_DATA, label="Data for Part 3"
    )
    upload = mo.ui.file(
        filetypes=list(own_data.UPLOAD_TYPES),
        kind="area",
        max_size=own_data.UPLOAD_MAX_BYTES,
        label="Your table (CSV, TSV, TXT, XLSX or Parquet)",
    )
    drop_missing = mo.ui.checkbox(label="Leave out rows with empty cells")
    return data_source, drop_missing, upload


@app.cell
def _(BenchlearnError, data_source, own_data, upload):
    # the learner's file, read once per upload; a problem is kept to be shown, not raised
    own_table, own_columns, own_problem = None, [], None
    if data_source.value == own_data.OWN_DATA and upload.value:
        try:
            own_table = own_data.read_upload(upload.name(), upload.contents())
            own_columns = own_data.numeric_columns(own_table)
        except BenchlearnError as _error:
            own_table, own_columns, own_problem = None, [], own_data.page_message(_error)
    return own_columns, own_problem, own_table


@app.cell
def _(mo, own_columns, own_data):
    _y, _x = own_data.default_columns(own_columns) if own_columns else (None, None)
    y_column = mo.ui.dropdown(options=own_columns, value=_y, label="Measured quantity (y)")
    x_column = mo.ui.dropdown(options=own_columns, value=_x, label="Predictor (x)")
    return x_column, y_column


@app.cell
def _(data, mo, own_data, settings):
    # the data Part 3 runs on, set by the cell below only when they change: a choice that
    # changes nothing (your own file before an upload, a refused file) reruns no Part 3 cell
    lesson_part3_data = own_data.Part3Data(
        *data.assay_line_data(), settings.builtin_line_settings()
    )
    get_part3_data, set_part3_data = mo.state(lesson_part3_data)
    return get_part3_data, lesson_part3_data, set_part3_data


@app.cell
def _(
    BenchlearnError,
    drop_missing,
    get_part3_data,
    lesson_part3_data,
    own_columns,
    own_data,
    own_problem,
    own_table,
    set_part3_data,
    settings,
    x_column,
    y_column,
):
    # Part 3's data: the lesson's standards until the learner's file and columns are usable
    _chosen = lesson_part3_data
    line_problem = own_problem
    if own_table is not None:
        try:
            _X, _y = own_data.own_line_data(
                own_table, y_column.value, x_column.value, drop_missing=drop_missing.value
            )
            _chosen = own_data.Part3Data(
                _X, _y, settings.line_settings(_X, _y), own_table, own_columns,
                y_column.value, x_column.value, drop_missing.value,
            )  # fmt: skip
        except BenchlearnError as _error:
            line_problem = own_data.page_message(_error)
    if _chosen.key is None or _chosen.key != get_part3_data().key:
        set_part3_data(_chosen)
    return (line_problem,)


@app.cell
def _(get_part3_data):
    part3_data = get_part3_data()
    X_line, y_line, line = part3_data.X_line, part3_data.y_line, part3_data.line
    return X_line, line, part3_data, y_line


@app.cell
def _(content, data_source, drop_missing, mo, own_data, own_table, upload, x_column, y_column):
    _shown = [mo.md(content.SECTIONS["data_choice"]), data_source]
    if data_source.value == own_data.OWN_DATA:
        _shown.append(upload)
        if own_table is not None:
            _shown.append(mo.hstack([y_column, x_column, drop_missing], justify="start", gap=2))
    mo.vstack(_shown)
    return


@app.cell
def _(content, data_source, line, line_problem, mo, own_data, y_line):
    # what became of the learner's file: a problem, still waiting, or in use
    _shown = []
    if line_problem is not None:
        _shown.append(mo.callout(mo.Html(own_data.problem_html(line_problem)), kind="danger"))
    elif line.builtin and data_source.value == own_data.OWN_DATA:
        _shown.append(mo.md(content.SECTIONS["own_waiting"]))
    if not line.builtin:
        _text = content.fill(
            "own_loaded",
            rows=len(y_line),
            source=line.source,
            y_name=line.y_label,
            x_name=line.x_label,
        )
        _shown.append(mo.md(_text))
    if line.dropped_rows:
        _dropped = ", ".join(map(str, line.dropped_rows))
        _text = content.fill("own_dropped", count=len(line.dropped_rows), rows=_dropped)
        _shown.append(mo.callout(mo.md(_text), kind="warn"))
    mo.vstack(_shown)
    return


@app.cell
def _(LinearRegression, X_line, mean_squared_error, y_line):
    # the least-squares line, solved exactly, and its mean squared error ("Solve exactly")
    exact_line = LinearRegression(solver="exact").fit(X_line, y_line)
    exact_b0, exact_b1 = float(exact_line.intercept_), float(exact_line.coef_[0])
    exact_loss = mean_squared_error(y_line, exact_line.predict(X_line))
    return exact_b0, exact_b1, exact_line, exact_loss


@app.cell
def _(line, mo):
    _ = line  # other data: gradient descent starts again from step 0, unsolved
    # the steps taken, with the learning-rate setting they were taken at: a move of the rate
    # starts again at step 0 in the same run of the cells (a state set by the slider's
    # on_change would run the descent's cells a second time)
    get_steps, set_steps = mo.state((0, 0))
    rate_setting = [0]  # counts the learning rate's moves (read when the cells run)
    get_solved, set_solved = mo.state(0)  # how often "Solve exactly" was pressed
    return get_solved, get_steps, rate_setting, set_solved, set_steps


@app.cell
def _(exact_b0, exact_b1, get_solved, line, mo, settings):
    # "Solve exactly" puts the sliders on the exact line (to the nearest slider step)
    _solved = get_solved() > 0
    b0 = mo.ui.slider(
        line.b0.start,
        line.b0.stop,
        line.b0.step,
        value=settings.nearest_position(line.b0, exact_b0) if _solved else line.b0.value,
        label="Intercept (b0)",
        show_value=True,
    )
    b1 = mo.ui.slider(
        line.b1.start,
        line.b1.stop,
        line.b1.step,
        value=settings.nearest_position(line.b1, exact_b1) if _solved else line.b1.value,
        label="Slope (b1)",
        show_value=True,
    )
    return b0, b1


@app.cell
def _(content, mo):
    mo.md(content.SECTIONS["residuals"] + content.SECTIONS["loss"])
    return


@app.cell
def _(X_line, line, part3_figures, y_line):
    # what the sliders do not change, drawn once per data set: the wells, the loss valley
    _x, _y = part3_figures.values(X_line.iloc[:, 0]), part3_figures.values(y_line)
    _points = "measured wells" if line.builtin else "your rows"
    _ranges = (line.b0.start, line.b0.stop), (line.b1.start, line.b1.stop)
    line_back = part3_figures.line_backdrop(_x, _y, line.x_label, line.y_label, _points)
    surface_backs = {
        "sliders": part3_figures.surface_backdrop(_x, _y, *_ranges, False),
        "descent": part3_figures.surface_backdrop(_x, _y, *_ranges, True),
    }
    return line_back, surface_backs


@app.cell
def _(
    X_line,
    b0,
    b1,
    blocks,
    line,
    line_back,
    mean_squared_error,
    mo,
    part3_figures,
    surface_backs,
    y_line,
):
    # the mean squared error of the line the sliders draw (computed here, in the one cell a
    # slider move reruns: every extra cell costs the page a round of messages)
    slider_mse = mean_squared_error(y_line, b0.value + b1.value * X_line.iloc[:, 0])
    # the sliders beside the two figures they move: the line with its residuals, the valley
    _line = f"{line.number(b0.value, '.3g')} + {line.number(b1.value, '.3g')} × {line.x_label}"
    _where = "ELISA standards" if line.builtin else f"The rows of {line.source}"
    _mse = blocks.readout_html(f"MSE = {line.number(slider_mse, '.4f')}", "mse")
    mo.vstack(
        [
            mo.hstack(
                [b0, b1, mo.Html(_mse)],
                justify="start",
                align="center",
                gap=2,
            ),
            mo.hstack(
                [
                    mo.Html(
                        part3_figures.line_html(
                            line_back,
                            X_line.iloc[:, 0],
                            y_line,
                            b0.value,
                            b1.value,
                            f"{_where} with the line {_line} and the residual of each",
                        )
                    ),
                    mo.Html(
                        part3_figures.surface_html(
                            surface_backs["sliders"],
                            "Contour map of the mean squared error over intercept and slope, "
                            f"with the sliders' point b0 = {b0.value:g}, b1 = {b1.value:g}",
                            sliders=(b0.value, b1.value),
                        )
                    ),
                ],
                justify="start",
                gap=1,
            ),
        ]
    )
    return (slider_mse,)


@app.cell
def _(content, mo):
    mo.md(content.SECTIONS["optimization"])
    return


@app.cell
def _(line, mo, rate_setting, set_solved, set_steps, settings):
    def _rate_moved(_):
        rate_setting[0] += 1

    learning_rate = mo.ui.slider(
        steps=list(line.learning_rates),
        value=line.default_learning_rate,
        label="Learning rate",
        show_value=True,
        on_change=_rate_moved,
    )

    def _more(n):
        def _step(taken):  # steps taken at an earlier rate count as none
            setting, steps = taken
            steps = steps if setting == rate_setting[0] else 0
            return rate_setting[0], min(steps + n, settings.MAX_STEPS)

        return lambda _: set_steps(_step)

    one_step = mo.ui.button(label="Take one step", on_click=_more(1))
    fifty_steps = mo.ui.button(label="Run 50 steps", on_click=_more(50))
    restart = mo.ui.button(label="Start again", on_click=lambda _: set_steps((rate_setting[0], 0)))
    solve = mo.ui.button(label="Solve exactly", on_click=lambda _: set_solved(lambda n: n + 1))
    # laid out here, so that a click reruns only the cells of the state it sets, not the panel
    gd_controls = mo.hstack(
        [learning_rate, one_step, fifty_steps, restart, solve], justify="start", align="center"
    )
    return fifty_steps, gd_controls, learning_rate, one_step, restart, solve


@app.cell
def _(
    LinearRegression,
    X_line,
    descent,
    get_steps,
    kept,
    learning_rate,
    line,
    mo,
    rate_setting,
    settings,
    warnings,
    y_line,
):
    # gradient descent from b0 = b1 = 0, run once per learning rate as far as the buttons go
    # (and kept for every learner); the buttons then show its first steps (each step depends
    # only on the ones before). The slider's other rates are fitted ahead, in the background.
    def _descend():
        with warnings.catch_warnings():
            # a run cut short "has not converged" by design, and a runaway run is explained below
            warnings.simplefilter("ignore")
            return LinearRegression(
                solver="gd", learning_rate=learning_rate.value, max_iter=settings.MAX_STEPS,
                tol=1e-12,
            ).fit(X_line, y_line)  # fmt: skip

    gd_model = kept(descent.descent_key(X_line, y_line, learning_rate.value), _descend)
    if line.builtin and mo.running_in_notebook():  # a served lesson: every rate, once
        descent.descend_ahead(X_line, y_line, line.learning_rates, settings.MAX_STEPS)
    # the run as far as the learner has stepped at this learning rate (in this cell: every
    # extra cell a move reruns costs the page a round of messages)
    _setting, _steps = get_steps()
    steps_taken = _steps if _setting == rate_setting[0] else 0
    descent_run = descent.descent_so_far(gd_model, X_line, steps_taken)
    return descent_run, gd_model, steps_taken


@app.cell
def _(
    blocks,
    descent_run,
    exact_b0,
    exact_b1,
    exact_loss,
    gd_controls,
    get_solved,
    line,
    mo,
    part3_figures,
    surface_backs,
):
    # the buttons, the step readout, what the run came to and both figures they move, in one
    # screen and one cell (every extra cell a click or a move reruns costs the page a round
    # of messages)
    _last, _solved = descent_run.history.iloc[-1], get_solved() > 0
    # (each template rendered from Markdown once: filled_html is mo.md(content.fill(...)))
    if descent_run.diverged or descent_run.growing:
        _text = blocks.filled_html(
            "gd_diverged",
            learning_rate=f"{descent_run.learning_rate:g}",
            stop_note=blocks.descent_stop_note(descent_run),
            limit=line.number(descent_run.limit, ".3f"),
        )
        _status = mo.callout(mo.Html(_text), kind="danger")
    else:
        _text = blocks.filled_html(
            "gd_status",
            b0=line.number(_last["intercept"], ".4f"),
            b1=line.number(_last.iloc[4], ".4f"),
            exact_loss=line.number(exact_loss, ".6f"),
        )
        _status = mo.Html(_text)
    _readouts = [mo.Html(blocks.descent_readout(descent_run))]
    if _solved:
        _readouts.append(mo.Html(blocks.exact_readout(line, exact_b0, exact_b1, exact_loss)))
    gd_figures = part3_figures.descent_html(
        surface_backs["descent"], descent_run.history, exact_loss,
        (exact_b0, exact_b1) if _solved else None,
    )  # fmt: skip
    _figures = mo.hstack([mo.Html(gd_figures[0]), mo.Html(gd_figures[1])], justify="start", gap=1)
    mo.vstack([gd_controls, *_readouts, _status, _figures])
    return (gd_figures,)


@app.cell
def _(np):
    def gradient_descent_by_hand(x, y, learning_rate, steps):
        """Gradient descent on the MSE of the line b0 + b1·x, from b0 = b1 = 0."""
        b0, b1 = 0.0, 0.0
        for _ in range(steps):
            residual = y - (b0 + b1 * x)  # measured minus predicted, one per row
            slope_b0 = -2 * np.mean(residual)  # how fast the MSE rises as b0 grows
            slope_b1 = -2 * np.mean(residual * x)  # ... and as b1 grows: the gradient
            b0 = b0 - learning_rate * slope_b0  # one step downhill, against the gradient
            b1 = b1 - learning_rate * slope_b1
        loss = np.mean((y - (b0 + b1 * x)) ** 2)  # the MSE where the steps ended
        return b0, b1, loss

    return (gradient_descent_by_hand,)


@app.cell
def _(np):
    def exact_line_by_hand(x, y):
        """The least-squares line in one calculation, as "Solve exactly" finds it."""
        X = np.column_stack([np.ones_like(x), x])  # a column of 1s (for b0), then x (for b1)
        # the normal equations XᵀX·b = Xᵀy, solved the careful way: X = Q·R (QR), R·b = Qᵀy
        Q, R = np.linalg.qr(X)
        b0, b1 = np.linalg.solve(R, Q.T @ y)
        loss = np.mean((y - (b0 + b1 * x)) ** 2)
        return b0, b1, loss

    return (exact_line_by_hand,)


@app.cell
def _(
    X_line,
    blocks,
    descent_run,
    exact_line_by_hand,
    gradient_descent_by_hand,
    learning_rate,
    line,
    mo,
    np,
    y_line,
):
    # the two cells above, run on the same data for the steps benchlearn took (a runaway run
    # stops early): their numbers are benchlearn's
    _x, _y = X_line.iloc[:, 0].to_numpy(float), y_line.to_numpy(float)
    _steps = int(descent_run.history["step"].iloc[-1])
    with np.errstate(all="ignore"):  # a diverging run overflows, as the engine's does
        by_hand = {
            "descent": gradient_descent_by_hand(_x, _y, learning_rate.value, _steps),
            "exact": exact_line_by_hand(_x, _y),
        }
    _gd, _exact = by_hand["descent"], by_hand["exact"]
    _text = blocks.filled_html(
        "under_the_hood",
        steps=_steps,
        gd_b0=line.number(_gd[0], ".4f"),
        gd_b1=line.number(_gd[1], ".4f"),
        exact_b0=line.number(_exact[0], ".4f"),
        exact_b1=line.number(_exact[1], ".4f"),
    )
    mo.Html(_text)
    return (by_hand,)


@app.cell
def _(X_line, descent, exact_b0, exact_b1, exact_line, line, r2_score, y_line):
    # the exact line judged on its own standards: R², residuals, each standard read back
    _fitted = exact_line.predict(X_line)
    curve_check = {
        "r2": r2_score(y_line, _fitted),
        "residuals": y_line.to_numpy() - _fitted,
        "read_back": descent.read_back(X_line, y_line, exact_b0, exact_b1, log10_x=line.builtin),
    }
    return (curve_check,)


@app.cell
def _(X_line, blocks, content, curve_check, exact_b1, figures, line, mo):
    _recovery = curve_check["read_back"]["recovery_percent"].dropna()
    _residuals = figures.residual_plot(
        X_line.iloc[:, 0], curve_check["residuals"], xlabel=line.x_label
    )
    _verdict = content.fill(
        "curve_verdict", lowest=f"{_recovery.min():.0f}", highest=f"{_recovery.max():.0f}"
    )
    mo.vstack(
        [
            mo.md(content.SECTIONS["curve_quality"]),
            mo.Html(blocks.curve_readout(line, curve_check["r2"], exact_b1)),
            mo.hstack(
                [
                    mo.Html(
                        blocks.figure_html(
                            _residuals, "Residuals of the standard curve against the amount"
                        )
                    ),
                    mo.vstack(
                        [
                            mo.Html(blocks.read_back_html(curve_check["read_back"], line)),
                            mo.md(_verdict),
                        ]
                    ),
                ],
                justify="start",
                wrap=True,
            ),
        ]
    )
    return


@app.cell
def _(X_line, content, descent, fingerprint, kept, line, mo, y_line):
    if line.builtin:
        # the lesson's own standards: compared once for every learner's session
        scaling = kept(
            ("ELISA scaling comparison",), lambda: descent.scaling_comparison(X_line, y_line)
        )
        _text = content.fill(
            "gd_scaling",
            ng_condition=f"{scaling.loc['ng/mL', 'condition_number']:.3g}",
            pg_condition=f"{scaling.loc['pg/mL', 'condition_number']:.3g}",
            ng_loss=f"{scaling.loc['ng/mL', 'loss_after_steps']:.6f}",
            pg_loss=f"{scaling.loc['pg/mL', 'loss_after_steps']:.6f}",
            exact_loss=f"{scaling.loc['ng/mL', 'exact_loss']:.6f}",
        )
    else:  # a learner's rows: compared once per content (a file chosen again answers at once)
        scaling = kept(
            fingerprint("own scaling comparison", X_line, y_line),
            lambda: descent.standardised_scaling_comparison(X_line, y_line),
        )
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
def _():
    from benchlearn.lessons.lesson1 import several

    return (several,)


@app.cell
def _(line, own_data, part3_data, settings, several, y_line):
    # several predictors: the learner's other numeric columns once a file with enough rows is
    # in use, the molecules' descriptors until then
    several_own = not line.builtin and len(y_line) >= own_data.MIN_OWN_SPLIT_ROWS
    if several_own:
        several_options = [c for c in part3_data.columns if c != part3_data.y_name]
        several_default = [part3_data.x_name]
    else:
        several_options = several.descriptor_names()
        several_default = list(settings.DEFAULT_PREDICTORS)
    return several_default, several_options, several_own


@app.cell
def _(mo, several_default, several_options):
    predictors = mo.ui.multiselect(
        options=several_options, value=several_default, label="Predictors"
    )
    return (predictors,)


@app.cell
def _(content, mo):
    mo.md(content.SECTIONS["several_predictors"])
    return


@app.cell
def _(content, mo):
    mo.md(content.SECTIONS["descriptor_list"])
    return


@app.cell
def _(content, mo, several_own):
    _own = [mo.md(content.SECTIONS["own_several"])] if several_own else []
    mo.vstack([mo.md(content.SECTIONS["several_parameters"]), *_own])
    return


@app.cell
def _(
    BenchlearnError,
    fingerprint,
    own_data,
    part3_data,
    predictors,
    several,
    several_default,
    several_options,
    several_own,
):
    chosen = [c for c in several_options if c in predictors.value] or several_default
    several_problem, in_training, several_key = None, None, None
    if not several_own:  # the molecules: chosen descriptors, measured logS, published split
        _molecules = several.molecules()
        X_several, y_several = _molecules.X[chosen], _molecules.y
        in_training, several_key = _molecules.in_training, tuple(chosen)
    else:
        _table, _y, _drop = part3_data.table, part3_data.y_name, part3_data.drop_missing
        try:
            X_several, y_several = own_data.own_table_data(_table, _y, chosen, drop_missing=_drop)
        except BenchlearnError as _error:  # e.g. text in a chosen column: keep the x column
            several_problem, chosen = own_data.page_message(_error), several_default
            X_several, y_several = own_data.own_table_data(_table, _y, chosen, drop_missing=_drop)
        # the results below are kept by the rows' content: the same columns again answer at once
        several_key = fingerprint("learner's rows", X_several, y_several)
    return X_several, chosen, in_training, several_key, several_problem, y_several


@app.cell
def _(LinearRegression, X_several, kept, own_data, several_key, several_own, y_several):
    # one line through all rows: y = b0 + one slope per chosen predictor
    if several_own:  # a learner's file: fitted as `benchlearn fit` fits it (same numbers)
        several_model = kept(
            several_key and ("several model", several_key),
            lambda: own_data.own_table_fit(X_several, y_several).model,
        )
    else:  # the molecules: fitted once per choice of descriptors, then kept for every learner
        several_model = kept(
            ("several model", several_key), lambda: LinearRegression().fit(X_several, y_several)
        )
    return (several_model,)


@app.cell
def _(
    LinearRegression,
    X_several,
    data,
    in_training,
    kept,
    r2_score,
    root_mean_squared_error,
    several_key,
    train_test_split,
    y_several,
):
    # learn from the training rows, score on test rows the model never saw: for the molecules
    # the 257 the data set's authors set aside, for a learner's file a random quarter
    if in_training is None:
        X_train, X_test, y_train, y_test = train_test_split(
            X_several, y_several, test_size=data.TEST_FRACTION, random_state=data.SEED
        )
    else:
        X_train, X_test = X_several[in_training], X_several[~in_training]
        y_train, y_test = y_several[in_training], y_several[~in_training]

    def _scores():
        split_model = LinearRegression().fit(X_train, y_train)
        fitted, fitted_train = split_model.predict(X_test), split_model.predict(X_train)
        return {
            "model": split_model,
            "y_test": y_test,
            "fitted": fitted,
            "n_train": len(y_train),
            "n_test": len(y_test),
            "train_r2": r2_score(y_train, fitted_train),
            "test_r2": r2_score(y_test, fitted),
            "train_rmse": root_mean_squared_error(y_train, fitted_train),
            "test_rmse": root_mean_squared_error(y_test, fitted),
        }

    scores = kept(several_key and ("several scores", several_key), _scores)
    return X_test, X_train, scores, y_test, y_train


@app.cell
def _(KFold, LinearRegression, X_several, cross_validate, data, kept, several_key, y_several):
    # five folds: each fifth of the rows is the test set once, the rest train the model
    cv_scores = kept(
        several_key and ("several folds", several_key),
        lambda: cross_validate(
            LinearRegression(),
            X_several,
            y_several,
            cv=KFold(data.CV_FOLDS, shuffle=True, random_state=data.SEED),
            scoring=["r2", "rmse"],
        ),
    )
    return (cv_scores,)


@app.cell
def _(blocks, figures, kept, scores, several_key, several_own, y_several):
    _response = str(y_several.name) if several_own else "logS"
    _rows = "rows" if several_own else "molecules"
    residual_figure = kept(
        several_key and ("several residuals", several_key),
        lambda: blocks.figure_html(
            figures.residual_plot(
                scores["fitted"], scores["y_test"].to_numpy() - scores["fitted"], response=_response
            ),
            f"Residuals of the test {_rows} against their predicted {_response}",
        ),
    )
    return (residual_figure,)


@app.cell
def _(content, mo):
    mo.md(content.SECTIONS["evaluation"])
    return


@app.cell
def _(content, mo):
    mo.vstack(
        [mo.md(content.SECTIONS["residual_plot"]), mo.md(content.SECTIONS["cross_validation"])]
    )
    return


@app.cell
def _(
    blocks,
    cv_scores,
    mo,
    own_data,
    predictors,
    residual_figure,
    scores,
    several_own,
    several_problem,
):
    # the control beside its scores and its residual plot
    _format, _unit = (".4g", "") if several_own else (".2f", " log units")
    _problem = [] if several_problem is None else [
        mo.callout(mo.Html(own_data.problem_html(several_problem)), kind="danger")
    ]  # fmt: skip
    _scores = blocks.split_readouts(
        scores, rmse_format=_format, unit=_unit, rows="rows" if several_own else "molecules"
    ) + blocks.cross_validation_html(cv_scores, rmse_format=_format, unit=_unit)
    mo.vstack(
        [
            *_problem,
            mo.hstack(
                [mo.vstack([predictors, mo.Html(_scores)]), mo.Html(residual_figure)],
                justify="start",
                align="start",
                wrap=True,
            ),
        ]
    )
    return


@app.cell
def _(
    blocks,
    chosen,
    content,
    kept,
    mo,
    several,
    several_key,
    several_model,
    several_own,
    y_several,
):
    # each coefficient in lab words: over a chemist's step for the molecules, per unit on a file
    if several_own:
        _row = several_model.params_.loc[chosen[0]]
        several_reading = content.fill(
            "several_reading",
            feature=chosen[0],
            response=str(y_several.name),
            estimate=f"{_row['estimate']:.3g}",
            ci_lower=f"{_row['ci_lower']:.3g}",
            ci_upper=f"{_row['ci_upper']:.3g}",
        )
    else:
        several_reading = kept(
            ("several reading", several_key),
            lambda: blocks.table_html(
                several.lab_reading(several_model.params_, chosen), index=False
            ),
        )
    # the parameter table, then each coefficient in lab words
    _table = kept(
        several_key and ("several table", several_key),
        lambda: blocks.parameter_table_html(several_model),
    )
    mo.vstack(
        [
            mo.md(content.SECTIONS["several_table"]),
            mo.Html(_table),
            *(
                [mo.md(several_reading)]
                if several_own
                else [mo.md(content.SECTIONS["several_lab"]), mo.Html(several_reading)]
            ),
        ]
    )
    return (several_reading,)


@app.cell
def _(content, mo, several_own):
    mo.md(content.SECTIONS["several_honest"]) if not several_own else None
    return


@app.cell
def _(X_line, fingerprint, kept, line, overfitting, y_line):
    # the over-fitting demo's rows: the learner's when there are enough of them, else the assay's
    _split = None if line.builtin else overfitting.own_curve_split(X_line, y_line)
    _max = 0 if line.builtin else overfitting.own_max_degree(X_line, y_line, _split)
    curve_own = _max >= 2  # degree 1 alone shows no over-fitting
    if curve_own:  # kept by the rows' content: the same file or columns again answer at once
        curve_train_test = _split
        degree_table = kept(
            fingerprint("own degree errors", X_line, y_line),
            lambda: overfitting.degree_errors(X_line, y_line, _split, _max),
        )
    else:
        curve_train_test = overfitting.curve_split()
        degree_table = overfitting.overfitting_table()
    return curve_own, curve_train_test, degree_table


@app.cell
def _(content, curve_own, curve_train_test, degree_table, line, mo, overfitting):
    _text = content.SECTIONS["overfitting"]
    if curve_own:
        _text += content.fill(
            "own_overfitting",
            source=line.source,
            n_train=len(curve_train_test[2]),
            n_test=len(curve_train_test[3]),
            max_degree=int(degree_table.index.max()),
        )
    elif not line.builtin:
        _text += content.fill(
            "own_overfitting_too_few",
            min_rows=overfitting.MIN_OWN_DEGREE_ROWS,
            max_rows=f"{overfitting.MAX_OWN_DEGREE_ROWS:,}",
        )
    degree = mo.ui.slider(
        1, int(degree_table.index.max()), 1, value=1, label="Polynomial degree", show_value=True
    )
    mo.md(_text)
    return (degree,)


@app.cell
def _(curve_own, curve_train_test, degree_table, line, part3_figures):
    # what the degree does not change, drawn once per data set: the wells, the error curves
    _X_train, _X_test, _y_train, _y_test = curve_train_test
    _v = part3_figures.values
    if curve_own:
        _labels = (line.x_label, line.y_label, "rows")
        _unit = line.y_label
    else:
        _labels = ("optical density (OD)", "log10 of DNase concentration (ng/mL)", "wells")
        _unit = "log10 ng/mL"
    curve_backs = {
        "curve": part3_figures.curve_backdrop(
            _v(_X_train.iloc[:, 0]), _v(_y_train), _v(_X_test.iloc[:, 0]), _v(_y_test), *_labels
        ),
        "errors": part3_figures.table_backdrop(degree_table, f"RMSE ({_unit})"),
    }
    polynomial_fits = {}  # each degree fitted once per data set, kept for the slider's return
    return curve_backs, polynomial_fits


@app.cell
def _(PolynomialRegression, curve_train_test, degree, polynomial_fits, warnings):
    _X_train, _X_test, _y_train, _y_test = curve_train_test
    if degree.value not in polynomial_fits:
        with warnings.catch_warnings():
            # high degrees on a few points are nearly singular: that instability is the lesson
            warnings.simplefilter("ignore")
            polynomial_fits[degree.value] = PolynomialRegression(degree=degree.value).fit(
                _X_train, _y_train
            )
    polynomial = polynomial_fits[degree.value]
    return (polynomial,)


@app.cell
def _(
    blocks,
    curve_backs,
    curve_own,
    curve_train_test,
    degree,
    degree_table,
    line,
    mo,
    part3_figures,
    polynomial,
):
    # the degree slider and its readout above the two figures it moves
    _row = degree_table.loc[degree.value]
    _number = line.number if curve_own else format
    _train, _test = (_number(_row[k], ".4f") for k in ("train_rmse", "test_rmse"))
    _where = f"the training rows of {line.source}" if curve_own else "the training wells"
    _column = curve_train_test[0].columns[0]
    _readout = f"Degree {degree.value}: train RMSE = {_train}, test RMSE = {_test}"
    mo.vstack(
        [
            mo.hstack(
                [degree, mo.Html(blocks.readout_html(_readout, "degree-rmse"))],
                justify="start",
                align="center",
                gap=2,
            ),
            mo.hstack(
                [
                    mo.Html(
                        part3_figures.curve_html(
                            curve_backs["curve"],
                            polynomial,
                            _column,
                            f"Degree {degree.value} polynomial through {_where}, with the "
                            f"test {'rows' if curve_own else 'wells'}",
                        )
                    ),
                    mo.Html(
                        part3_figures.errors_html(
                            curve_backs["errors"],
                            degree.value,
                            "Training, test and cross-validation RMSE against polynomial "
                            f"degree, degree {degree.value} marked",
                        )
                    ),
                ],
                justify="start",
                gap=1,
            ),
        ]
    )
    return


@app.cell
def _(mo):
    # ---- The curve that bends (issue 16): a 4PL standard curve fitted step by step
    from benchlearn.lessons.lesson1 import bending

    # the teaching loop's every step, benchlearn's 4PL fit and the straight line on DNase run 1,
    # computed once for all sessions (see bending.py: levenberg_marquardt, NonlinearRegression)
    bend = bending.bend_fits(bending.RUN)
    if mo.running_in_notebook():  # live page: draw each step's figure ahead, in the background
        bending.draw_ahead(bending.RUN)
    return bend, bending


@app.cell
def _(bend, bending, mo):
    # the live page starts from the guess; a run of the app (the handout) shows the last step
    bend_step = mo.ui.slider(
        0,
        bend.last_step,
        1,
        value=0 if mo.running_in_notebook() else bend.last_step,
        label=bending.STEP_LABEL,
        show_value=True,
    )
    mo.md(bending.SECTIONS["bend_intro"])
    return (bend_step,)


@app.cell
def _(bend, bend_step, bending, blocks, mo):
    # the slider only picks a step: its numbers and its figure were computed once
    _readout = blocks.readout_html(bending.readout_text(bend, bend_step.value), "bend-step")
    mo.vstack(
        [
            mo.hstack([bend_step, mo.Html(_readout)], justify="start", align="center", gap=2),
            mo.hstack(
                [
                    mo.Html(bending.step_figure_html(bending.RUN, bend_step.value)),
                    mo.Html(bending.steps_table_html(bend, bend_step.value)),
                ],
                justify="start",
                gap=1,
            ),
        ]
    )
    return


@app.cell
def _(bend, bending, mo):
    mo.vstack(
        [
            mo.md(bending.result_text(bend)),
            mo.Html(bending.comparison_table_html(bend)),
            mo.md(bending.start_text(bend)),
        ]
    )
    return


@app.cell
def _(quiz_block):
    quiz_block(3, 0)
    return


@app.cell
def _(quiz_block):
    quiz_block(3, 1)
    return


@app.cell
def _(quiz_block):
    quiz_block(3, 2)
    return


@app.cell
def _(quiz_block):
    quiz_block(3, 3)
    return


@app.cell
def _(quiz_block):
    quiz_block(3, 4)
    return


# ---- Part 4: where machine learning meets biotech, live (five examples and the bias caution) --
@app.cell
def _(mo):
    from benchlearn.lessons.lesson1 import biotech, biotech_page

    _shown = set()  # the examples this session has drawn once

    def when_visible(render):
        """Live page: compute when scrolled into view (first load stays fast); a run: now.

        Once an example has been drawn, a move of its control means the learner is looking at
        it: computed at once, without the lazy widget's extra round trip to the server. No
        spinner while it waits: marimo's spins from the first load on, out of view, redrawing
        the page (or every slide of the deck) many times a second until the example is seen.
        """
        if mo.running_in_notebook() and render.__name__ not in _shown:
            _shown.add(render.__name__)
            return mo.lazy(render, show_loading_indicator=False)
        return render()

    mo.md(biotech_page.SECTIONS["part4_intro"])
    return biotech, biotech_page, when_visible


@app.cell
def _(biotech, biotech_page, mo):
    # the controls of the first three examples (each drives the example after it)
    solubility_set = mo.ui.dropdown(
        options=list(biotech_page.SOLUBILITY_SETS),
        value=biotech_page.DEFAULT_SOLUBILITY_SET,
        label=biotech_page.SOLUBILITY_LABEL,
    )
    screen_percent = mo.ui.slider(
        steps=list(biotech_page.SCREEN_PERCENTS),
        value=biotech_page.DEFAULT_SCREEN_PERCENT,
        label=biotech_page.SCREEN_LABEL,
        show_value=True,
    )
    subtypes_k = mo.ui.slider(
        min(biotech.CLUSTER_CHOICES),
        max(biotech.CLUSTER_CHOICES),
        1,
        value=biotech_page.DEFAULT_SUBTYPES_K,
        label=biotech_page.SUBTYPES_LABEL,
        show_value=True,
    )
    return screen_percent, solubility_set, subtypes_k


@app.cell
def _(biotech_page, mo, solubility_set, when_visible):
    def _solubility():
        # linear regression of logS on the chosen descriptors, scored on the test molecules
        # (biotech.solubility_example; computed once for every learner of this server)
        _chosen = biotech_page.SOLUBILITY_SETS[solubility_set.value]
        return mo.Html(biotech_page.shown_example("molecules", _chosen))

    mo.vstack(
        [mo.md(biotech_page.SECTIONS["molecules"]), solubility_set, when_visible(_solubility)]
    )
    return


@app.cell
def _(biotech_page, mo, screen_percent, when_visible):
    def _screening():
        # ridge regression on fingerprints ranks the untested compounds; the top share is tested
        # (biotech.screening_example; computed once for every learner of this server)
        return mo.Html(biotech_page.shown_example("screening", screen_percent.value))

    mo.vstack([mo.md(biotech_page.SECTIONS["screening"]), screen_percent, when_visible(_screening)])
    return


@app.cell
def _(biotech_page, mo, subtypes_k, when_visible):
    def _subtypes():
        # k-means on the 76 genes; ER status and grade are compared only afterwards
        # (biotech.subtypes_example; computed once for every learner of this server)
        return mo.Html(biotech_page.shown_example("subtypes", subtypes_k.value))

    mo.vstack([mo.md(biotech_page.SECTIONS["subtypes"]), subtypes_k, when_visible(_subtypes)])
    return


@app.cell
def _(biotech, biotech_page, mo):
    # the controls of the last three examples
    cells_k = mo.ui.slider(
        min(biotech.CELL_CLUSTER_CHOICES),
        max(biotech.CELL_CLUSTER_CHOICES),
        1,
        value=biotech_page.DEFAULT_CELLS_K,
        label=biotech_page.CELLS_LABEL,
        show_value=True,
    )
    annotated_pixels = mo.ui.slider(
        steps=list(biotech.LABELLED_PIXELS),
        value=biotech_page.DEFAULT_PIXELS,
        label=biotech_page.PIXELS_LABEL,
        show_value=True,
    )
    bias_grouping = mo.ui.dropdown(
        options=list(biotech_page.BIAS_GROUPINGS),
        value=biotech_page.DEFAULT_BIAS_GROUPING,
        label=biotech_page.BIAS_LABEL,
    )
    return annotated_pixels, bias_grouping, cells_k


@app.cell
def _(biotech_page, cells_k, mo, when_visible):
    def _cell_types():
        # PCA to 20 components, then k-means; the sorted cell types are compared afterwards
        # (biotech.cell_types_example; computed once for every learner of this server)
        return mo.Html(biotech_page.shown_example("omics", cells_k.value))

    mo.vstack([mo.md(biotech_page.SECTIONS["omics"]), cells_k, when_visible(_cell_types)])
    return


@app.cell
def _(annotated_pixels, biotech_page, mo, when_visible):
    def _nuclei():
        # a logistic-regression pixel classifier learns on the left half, marks the right half
        # (biotech.nuclei_example; computed once for every learner of this server)
        return mo.Html(biotech_page.shown_example("imaging", annotated_pixels.value))

    mo.vstack([mo.md(biotech_page.SECTIONS["imaging"]), annotated_pixels, when_visible(_nuclei)])
    return


@app.cell
def _(bias_grouping, biotech, biotech_page, mo, when_visible):
    def _bias():
        # cross-validated logistic regression of ER status, its accuracy counted per group
        # (biotech.bias_example; computed once for every learner of this server)
        _grouping = biotech_page.BIAS_GROUPINGS[bias_grouping.value]
        return mo.Html(biotech_page.shown_example("bias", _grouping))

    mo.vstack([mo.md(biotech_page.SECTIONS["bias"]), bias_grouping, when_visible(_bias)])
    return


@app.cell
def _(bias_grouping, biotech, biotech_page, mo, when_visible):
    def _bias_meaning():
        # what the gap means for a patient (a slide of its own when presented)
        _example = biotech.bias_example(biotech_page.BIAS_GROUPINGS[bias_grouping.value])
        return mo.md(biotech_page.bias_meaning(_example))

    when_visible(_bias_meaning)
    return


@app.cell
def _(quiz_block):
    quiz_block(4, 0)
    return


@app.cell
def _(quiz_block):
    quiz_block(4, 1)
    return


@app.cell
def _(blocks, content, get_picks, mo, questions):
    _scores = {n: questions.score(n, get_picks()) for n in content.OBJECTIVES}
    # live only: on the paper handout nobody has answered yet
    mo.Html(blocks.live_only(mo.md(content.SECTIONS["score"]).text + blocks.score_html(_scores)))
    return


@app.cell
def _(content, mo):
    mo.md(content.SECTIONS["own_data"])
    return


@app.cell
def _(blocks, content, glossary, mo):
    # the glossary in runs of whole first letters, one slide each when presented
    mo.vstack(
        [
            mo.md(content.SECTIONS["glossary_intro"]),
            mo.Html(blocks.glossary_html(glossary.on_slide(0))),
        ]
    )
    return


@app.cell
def _(blocks, glossary, mo):
    mo.Html(blocks.glossary_html(glossary.on_slide(1)))
    return


@app.cell
def _(blocks, glossary, mo):
    mo.Html(blocks.glossary_html(glossary.on_slide(2)))
    return


@app.cell
def _(blocks, glossary, mo):
    mo.Html(blocks.glossary_html(glossary.on_slide(3)))
    return


@app.cell
def _(blocks, glossary, mo):
    mo.Html(blocks.glossary_html(glossary.on_slide(4)))
    return


@app.cell
def _(blocks, glossary, mo):
    mo.Html(blocks.glossary_html(glossary.on_slide(5)))
    return


if __name__ == "__main__":
    app.run()
