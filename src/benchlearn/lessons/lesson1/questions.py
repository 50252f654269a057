"""Check-your-understanding questions of lesson 1, as plain data with their feedback.

Each wrong choice carries its own feedback: the misconception choosing it reveals. A learner
gets :data:`TRIES` tries: after a wrong first pick only that feedback shows and the learner
tries again; the answer and its explanation are revealed after the last wrong try (or with a
right pick). The score of an objective counts the questions answered right at the first try.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TRIES = 2  # wrong picks before the answer is revealed


@dataclass(frozen=True)
class Question:
    """One multiple-choice question.

    Attributes
    ----------
    id : str
        Stable identifier (used by the app and the tests).
    objective : int
        Which learning objective (1, 2 or 3) it checks.
    prompt : str
        The question, also the accessible name of its radio group.
    choices : tuple of str
        The possible answers, in display order.
    answer : int
        Index of the correct choice.
    explanation : str
        Why the correct choice is correct, shown once the answer is revealed.
    misconceptions : mapping of str to str
        For each wrong choice, what choosing it reveals and why it is wrong.
    """

    id: str
    objective: int
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    misconceptions: Mapping[str, str]

    @property
    def correct_choice(self) -> str:
        """The text of the correct choice."""
        return self.choices[self.answer]


@dataclass(frozen=True)
class Feedback:
    """What the page says after the learner's picks so far.

    ``correct`` is whether the last pick is right; ``revealed`` whether the answer is shown.
    """

    correct: bool
    revealed: bool
    text: str


def record_pick(tried: tuple[str, ...], choice: str | None) -> tuple[str, ...]:
    """The picks so far after picking ``choice`` (picking the last one again changes nothing)."""
    if choice is None or (tried and tried[-1] == choice):
        return tried
    return (*tried, choice)


def record_picks(
    picks: Mapping[str, tuple[str, ...]], answers: Mapping[str, str | None]
) -> dict[str, tuple[str, ...]]:
    """Every question's picks after the radio buttons now show ``answers`` (id -> choice)."""
    recorded = dict(picks)
    for question_id, choice in answers.items():
        recorded[question_id] = record_pick(picks.get(question_id, ()), choice)
    return recorded


def feedback(question: Question, tried: Sequence[str]) -> Feedback | None:
    """Judge the learner's picks so far (``None`` before any pick).

    A right pick is confirmed with the explanation. A wrong pick shows its misconception; after
    :data:`TRIES` different wrong picks the answer and its explanation are revealed.
    """
    if not tried:
        return None
    last = tried[-1]
    if last == question.correct_choice:
        return Feedback(True, True, f"Correct. {question.explanation}")
    wrong = len({c for c in tried if c != question.correct_choice})
    text = f"Not quite: {question.misconceptions[last]}"
    if wrong < TRIES:
        return Feedback(False, False, f"{text} Try another answer.")
    return Feedback(
        False, True, f"{text} The answer is “{question.correct_choice}”. {question.explanation}"
    )


def right_first_time(question: Question, tried: Sequence[str]) -> bool:
    """Whether the learner's first pick was the right one."""
    return bool(tried) and tried[0] == question.correct_choice


def score(objective: int, picks: Mapping[str, Sequence[str]]) -> tuple[int, int, int]:
    """``(right at the first try, answered, questions)`` for one objective."""
    asked = questions_for(objective)
    answered = [q for q in asked if picks.get(q.id)]
    right = [q for q in answered if right_first_time(q, picks[q.id])]
    return len(right), len(answered), len(asked)


def _question(
    id: str,
    objective: int,
    prompt: str,
    right: tuple[str, str],
    *wrong: tuple[str, str],
    position: int,
) -> Question:
    """A question from its right choice (text, explanation) and wrong ones (text, misconception).

    ``position`` is where the right choice is shown among the wrong ones.
    """
    choices = [text for text, _ in wrong]
    choices.insert(position, right[0])
    return Question(
        id=id,
        objective=objective,
        prompt=prompt,
        choices=tuple(choices),
        answer=position,
        explanation=right[1],
        misconceptions=dict(wrong),
    )


QUESTIONS: tuple[Question, ...] = (
    # ---- Objective 1: AI, machine learning, deep learning
    _question(
        "ai_ml_dl_nesting",
        1,
        "How do artificial intelligence (AI), machine learning (ML) and deep learning (DL) relate?",
        (
            "DL is a kind of ML, and ML is a kind of AI",
            "They nest: AI is the broad goal, ML reaches it by learning from examples, and DL is "
            "ML "
            "with many-layered neural networks.",
        ),
        (
            "They are three unrelated fields",
            "they share one goal and build on each other: the biopsy task was solved by all three.",
        ),
        (
            "AI is a kind of ML, and ML is a kind of DL",
            "this turns the nesting inside out. AI also includes rules written by hand, like the "
            "nucleus-radius threshold, which learn nothing.",
        ),
        (
            "ML and DL are the same thing with different names",
            "deep learning is one kind of machine learning (neural networks with many layers); the "
            "logistic regression is machine learning without being deep.",
        ),
        position=1,
    ),
    _question(
        "rule_vs_learned",
        1,
        "The hand-written rule 'malignant if the mean nucleus radius is above a threshold' is an "
        "example of:",
        (
            "AI without machine learning: a person chose the rule",
            "Nothing was learned from examples: an expert wrote the rule and chose the threshold. "
            "It is AI in the broad sense, but not machine learning.",
        ),
        (
            "Deep learning, because it reads an image",
            "the rule reads one number measured from the image, and it has no neural network.",
        ),
        (
            "Unsupervised learning, because no model was trained",
            "unsupervised learning still learns, only without labels; the rule learns nothing.",
        ),
        (
            "Machine learning, because it uses data",
            "using data is not learning from it: the rule's threshold came from a person, and the "
            "data only scored it.",
        ),
        position=0,
    ),
    _question(
        "why_test_set",
        1,
        "Why are the three approaches scored on biopsies none of them saw during training?",
        (
            "Because scoring on the training biopsies would reward memorising them",
            "A model can look perfect on the rows it was fitted to and still fail on new "
            "patients. Only rows held back tell you how it will do in practice.",
        ),
        (
            "To make the computation faster",
            "speed has nothing to do with it: scoring every biopsy would take no longer.",
        ),
        (
            "Because the test biopsies are of better quality",
            "the split is random; test biopsies are like the others, only unseen.",
        ),
        (
            "It makes no difference which biopsies are used",
            "a model fitted to some rows scores better on those rows than on new ones, so it "
            "matters.",
        ),
        position=2,
    ),
    _question(
        "parameters_learned",
        1,
        "What are a model's parameters?",
        (
            "The numbers inside the model that are tuned to fit the training examples",
            "Training adjusts them: the logistic regression learned 31 of them from the biopsies, "
            "the network several hundred.",
        ),
        (
            "The settings a person chooses before training",
            "those (k, the learning rate, the threshold of a rule) are chosen, not learned.",
        ),
        (
            "The columns of the data table",
            "the columns are the features: what goes into the model, not what it learns.",
        ),
        (
            "The answers the model predicts",
            "predictions are what the model puts out; parameters are what it uses to compute them.",
        ),
        position=3,
    ),
    # ---- Objective 2: supervised and unsupervised learning
    _question(
        "supervised_definition",
        2,
        "What makes a learning method supervised?",
        (
            "It learns from rows whose answer (label) is known",
            "Supervised methods learn from labelled examples (the diagnosis, a measured potency) "
            "and "
            "predict the label for new rows, whether a category or a number.",
        ),
        (
            "A person watches the computer while it learns",
            "the 'supervision' is the answer key in the data, not a person at the screen.",
        ),
        (
            "It only works on small data sets",
            "supervised methods work at any size; what they need is labels.",
        ),
        (
            "It always predicts a number, never a category",
            "classification (benign or malignant) is supervised too; numbers are regression.",
        ),
        position=1,
    ),
    _question(
        "kmeans_uses_labels",
        2,
        "When k-means grouped the biopsies, how did it use the diagnosis?",
        (
            "It did not use it at all; we compared with it only afterwards",
            "k-means is unsupervised: it saw only the 30 measurements. The contingency table and "
            "the "
            "adjusted Rand index compare its clusters with the diagnosis afterwards.",
        ),
        (
            "It used the diagnosis to place the cluster centres",
            "the centres move to the mean of their rows' measurements; no diagnosis is involved.",
        ),
        (
            "It used the diagnosis to choose k",
            "you chose k with the slider; k-means cannot choose it, and never sees the diagnosis.",
        ),
        (
            "It learned to predict the diagnosis",
            "it only groups similar rows; whether a group matches a diagnosis is checked "
            "afterwards.",
        ),
        position=0,
    ),
    _question(
        "subtype_discovery",
        2,
        "You have gene-expression profiles of 300 tumours and want to propose new molecular "
        "subtypes. Which approach fits?",
        (
            "Clustering the profiles, then checking the groups against outcomes",
            "New subtypes have no labels yet, so the groups must be found without them "
            "(unsupervised). Whether they matter is then checked against outcomes or experiments.",
        ),
        (
            "Linear regression on the tumour size",
            "regression predicts a known number; it does not propose groups.",
        ),
        (
            "A classifier trained on the existing subtype labels",
            "a classifier can only learn the subtypes it was given; new ones have no labels yet.",
        ),
        (
            "A hand-written threshold on one gene",
            "one gene chosen by hand splits on what you already suspect, not on the whole profile.",
        ),
        position=2,
    ),
    _question(
        "ari_meaning",
        2,
        "k-means with k = 2 reaches an adjusted Rand index of about 0.67 against the diagnosis. "
        "What does that say?",
        (
            "The clusters agree with the diagnosis far better than chance, but not perfectly",
            "The adjusted Rand index is 1 for a perfect match and about 0 for random groups: 0.67 "
            "means much of the diagnosis shows in the measurements alone.",
        ),
        (
            "67% of the biopsies were diagnosed correctly",
            "the index is not an accuracy: k-means diagnoses nothing, it only groups, and the "
            "index "
            "scores the agreement of two groupings corrected for chance.",
        ),
        (
            "k-means is wrong about one biopsy in three",
            "there is nothing for k-means to be right or wrong about: it was never told the "
            "diagnosis. The index measures agreement, not errors.",
        ),
        (
            "The clusters are no better than random",
            "random groups score about 0; 0.67 is far above that.",
        ),
        position=2,
    ),
    # ---- Objective 3: linear regression whole
    _question(
        "slope_in_lab_units",
        3,
        "An ELISA standard curve reads: optical density = 0.45 + 1.14 × log10(concentration in "
        "ng/mL). What does 1.14 mean?",
        (
            "Each tenfold rise in concentration raises the optical density by 1.14",
            "The slope is a rate in lab units: OD per unit of x, and one unit of log10 is a "
            "tenfold step (1 to 10 ng/mL, or 0.1 to 1). The intercept, 0.45, is the OD at "
            "1 ng/mL, where log10 is 0.",
        ),
        (
            "A well with 1 ng/mL reads 1.14 OD",
            "at 1 ng/mL log10 is 0, so the curve predicts the intercept, 0.45 OD; the slope is "
            "how much the OD changes, not a reading.",
        ),
        (
            "Each extra ng/mL raises the optical density by 1.14",
            "x is log10 of the concentration: one more unit of x is ten times the concentration. "
            "Going from 1 to 2 ng/mL raises x by only 0.3, and the OD by about 0.34.",
        ),
        (
            "The assay detects 114% of the DNase",
            "the slope is not a percentage: it has units, OD per tenfold concentration.",
        ),
        position=1,
    ),
    _question(
        "mse_definition",
        3,
        "The mean squared error (MSE) of a line is:",
        (
            "The mean of the squared residuals",
            "Square each residual (measured minus predicted) and average them. Squaring counts "
            "misses above and below alike and weighs big misses heavily.",
        ),
        (
            "The mean of the measured values",
            "that describes the data, not the line: a loss must say how far the line misses.",
        ),
        (
            "The largest residual",
            "one residual ignores all the others; the MSE averages every row's miss.",
        ),
        (
            "The slope squared",
            "the slope is a parameter of the line, not a measure of how wrong it is.",
        ),
        position=3,
    ),
    _question(
        "exact_vs_gradient_descent",
        3,
        "'Solve exactly' and enough steps of gradient descent give the same line. Why learn "
        "gradient descent at all?",
        (
            "Most models, such as neural networks, have no exact formula and are fitted step by "
            "step",
            "Least squares is a lucky case with a closed form. Logistic regressions and neural "
            "networks are trained by gradient descent or its relatives.",
        ),
        (
            "Gradient descent finds a better line than the exact solution",
            "both minimise the same loss; the exact solution is the bottom of the valley, and "
            "gradient descent can at best reach it.",
        ),
        (
            "The exact solution is only an approximation",
            "it is exact up to the computer's rounding; gradient descent is the approximation.",
        ),
        (
            "Gradient descent needs no learning rate",
            "it does: the learning rate sets each step, and too large a rate diverges.",
        ),
        position=2,
    ),
    _question(
        "learning_rate_too_large",
        3,
        "Gradient descent's loss grows with every step. What should you do?",
        (
            "Lower the learning rate",
            "Growing loss means each step overshoots the bottom of the valley (divergence). "
            "Shorter steps (a smaller learning rate) go downhill again.",
        ),
        ("Take more steps", "each step overshoots further: more steps make the loss grow more."),
        ("Raise the learning rate", "longer steps overshoot even more; the loss grows faster."),
        (
            "Add more features",
            "the trouble is the step size, not the model; more features do not stop overshooting.",
        ),
        position=1,
    ),
    _question(
        "test_score_to_trust",
        3,
        "A model's R² is 0.52 on its training patients and 0.37 on its test patients. Which tells "
        "you how it will do on next year's patients?",
        (
            "0.37, the test R²",
            "The test patients played no part in fitting, like next year's patients. The training "
            "score is flattered by fitting those very patients.",
        ),
        (
            "0.52, the training R²",
            "the training score is measured on the patients the model was fitted to, so it is "
            "flattered: new patients will look more like the test set.",
        ),
        (
            "Their average, 0.445",
            "averaging mixes an honest score with a flattered one; only the test score is honest.",
        ),
        (
            "Neither: R² cannot be computed for new patients",
            "the test patients are exactly that: patients the model never saw, with known "
            "outcomes.",
        ),
        position=3,
    ),
    _question(
        "rmse_meaning",
        3,
        "The solubility model's test RMSE is 0.92 log units. What does that mean?",
        (
            "A typical prediction of logS misses the measured value by about 0.9",
            "RMSE is the square root of the mean squared residual, in the units of what is "
            "predicted: here logS, so a typical miss is a factor of about 10^0.9 ≈ 8 in mol/L.",
        ),
        (
            "The model is 92% accurate",
            "RMSE is not a percentage; it is a typical error in the units of the response.",
        ),
        (
            "The model explains 92% of the spread in solubility",
            "that would be R² = 0.92; RMSE measures the size of the errors, not a share.",
        ),
        (
            "A typical prediction misses the solubility by about 0.9 mol/L",
            "the model predicts logS, the log10 of mol/L: 0.9 log units is a factor of about 8 "
            "in mol/L, not 0.9 mol/L.",
        ),
        position=2,
    ),
    _question(
        "good_r2_depends",
        3,
        "A standard curve has R² = 0.999 and a clinical prediction model has R² = 0.37. Which is "
        "true?",
        (
            "Both can be fine: a standard curve should be near 1, a clinical model rarely is",
            "A standard curve relates an amount to a chemical signal, and R² of 0.99 or more is "
            "expected. Disease progression depends on much that was not measured, so explaining a "
            "third of its spread can already be useful.",
        ),
        (
            "The clinical model is useless because its R² is below 0.5",
            "no single cut-off fits every setting; in clinical data much of the spread cannot be "
            "explained by a few measurements, and 0.37 can still rank patients usefully.",
        ),
        (
            "The standard curve must be over-fitted because its R² is so high",
            "a two-parameter line through many wells cannot chase their noise; a high R² is what "
            "good chemistry gives.",
        ),
        (
            "R² is the share of patients predicted correctly",
            "R² is the share of the spread explained, not a share of rows predicted right.",
        ),
        position=1,
    ),
    _question(
        "residual_pattern",
        3,
        "Residuals plotted against predictions form a U: positive at both ends, negative in the "
        "middle. What does this suggest?",
        (
            "The straight line misses a curve in the data",
            "Residuals should scatter evenly around 0. A pattern means the model leaves something "
            "systematic unexplained, here a bend, as when a colour reaction saturates.",
        ),
        (
            "The model fits perfectly",
            "a perfect fit would leave residuals of 0; even a good one leaves them without "
            "pattern.",
        ),
        (
            "There is too little data",
            "too few rows make residuals noisy, not patterned; a U is systematic.",
        ),
        (
            "The learning rate was too large",
            "the residuals of the best line do not depend on how it was found.",
        ),
        position=3,
    ),
    _question(
        "cross_validation_spread",
        3,
        "Cross-validation gives RMSE = 56.0 ± 1.5. What is the ± 1.5?",
        (
            "How much the test RMSE varies from fold to fold (their standard deviation)",
            "Each fold gives its own test RMSE; 56.0 is their mean and 1.5 their standard "
            "deviation: "
            "how much the score depends on the luck of the split.",
        ),
        (
            "The error of each single prediction",
            "the typical error of a prediction is the RMSE itself, about 56.",
        ),
        (
            "A 95% confidence interval of a coefficient",
            "confidence intervals belong to coefficients; this spread belongs to a score.",
        ),
        (
            "The number of folds that failed",
            "no fold fails; each one is scored, and 1.5 is the spread of those scores.",
        ),
        position=1,
    ),
    _question(
        "overfitting_sign",
        3,
        "As the polynomial degree rises, the training error keeps falling but the test error "
        "starts rising. This is:",
        (
            "Over-fitting",
            "The flexible model follows the noise of the training wells. Choose the complexity "
            "with "
            "held-out data: a test set or cross-validation.",
        ),
        (
            "Divergence",
            "divergence is gradient descent running away; here every fit is exact, and only the "
            "test error grows.",
        ),
        (
            "A sign that the test set is wrong",
            "the test wells are measured like the others; the curve fails them because it learned "
            "noise.",
        ),
        (
            "A sign that more parameters always help",
            "they help on the training wells only; on new wells they hurt.",
        ),
        position=0,
    ),
    _question(
        "confidence_interval_meaning",
        3,
        "A coefficient's 95% confidence interval is 3.1 to 7.9. What does it tell you?",
        (
            "Values between 3.1 and 7.9 are consistent with the data; 0 is not",
            "The interval is about the coefficient, not the patients: it is the range of effect "
            "sizes the data support. Since it excludes 0, the data show a positive effect.",
        ),
        (
            "95% of the patients have a value between 3.1 and 7.9",
            "the interval describes the coefficient, not where the patients' values lie.",
        ),
        (
            "The model predicts 95% of patients correctly",
            "95% is the confidence level of the interval, not an accuracy.",
        ),
        (
            "The coefficient is exactly 5.5",
            "5.5 is the middle of the interval; the data allow any value in it.",
        ),
        position=2,
    ),
    # the curve that bends (a 4PL standard curve fitted step by step)
    _question(
        "bend_no_exact_solution",
        3,
        "The straight line was solved in one calculation, but the 4PL standard curve is fitted "
        "in steps. Why?",
        (
            "The EC50 and Hill slope sit inside a power, so no formula gives the best values",
            "A line's predictions are a sum of its parameters times known numbers, so the lowest "
            "MSE solves a set of linear equations at once. In the 4PL the EC50 and the Hill slope "
            "enter through a power; the equations for the lowest MSE have no one-line solution, "
            "so the fit improves a guess step by step.",
        ),
        (
            "The 4PL is fitted with a different loss than the squared error",
            "the loss is the same mean squared error as for the line; what differs is that its "
            "minimum cannot be written down in one formula.",
        ),
        (
            "Four parameters are too many to solve exactly",
            "the number is not the problem: a line with four predictors (five parameters) is "
            "still solved in one calculation. It is how the parameters enter the curve.",
        ),
        (
            "ELISA readings are too noisy for an exact solution",
            "noise does not decide the method; noisy data on a straight line are still solved "
            "exactly, and a 4PL needs steps even for perfect readings.",
        ),
        position=0,
    ),
    _question(
        "bend_starting_values",
        3,
        "A 4PL fit started from an EC50 far below every standard ends after 50 steps with an MSE "
        "a hundred times higher than a fit from a sensible start. What should you do?",
        (
            "Start again from values read off the data, then look at the fitted curve",
            "Each step only sees the curve near the current guess; far from the data the curve "
            "is flat and the loss hardly changes. Plateaus from the lowest and highest readings "
            "and an EC50 among the standards start it where the answer is, and a glance at the "
            "curve confirms it.",
        ),
        (
            "Report the result: the optimiser always finds the best curve",
            "an optimiser only goes downhill from where it starts; stalled or stopped in a dip, "
            "it can end far from the best curve, as this MSE shows.",
        ),
        (
            "Raise the learning rate so the steps are longer",
            "Levenberg–Marquardt has no learning rate to set: it chooses its own step length, "
            "and longer steps from a hopeless start do not fix the start.",
        ),
        (
            "Fit a straight line instead, which has no starting values",
            "the line needs no start, but it cannot follow the bend: its residuals swing "
            "above and below zero and unknowns read off it would be biased.",
        ),
        position=2,
    ),
)

# Objective 4: the kinds of learning as they appear in Part 4's examples, and the bias caution.
BIOTECH_QUESTIONS: tuple[Question, ...] = (
    _question(
        "solubility_kind",
        4,
        "The solubility example learns logS from 1,025 molecules whose solubility was measured, "
        "then predicts it for molecules it never saw. Which kind of learning is it?",
        (
            "Supervised regression: it learns a number from measured examples",
            "The model is given the answer (the measured logS) for every training molecule, so "
            "it is supervised; the answer is a number on a continuous scale, so it is "
            "regression.",
        ),
        (
            "Supervised classification: it sorts molecules into soluble and insoluble",
            "the model predicts the logS value itself, a number, not a category; classification "
            "would need the molecules sorted into classes first.",
        ),
        (
            "Unsupervised: nobody told the model which molecule is which",
            "every training molecule comes with its measured solubility, the label the model "
            "learns to predict; unsupervised learning has no such answers.",
        ),
        (
            "No learning: RDKit calculates the solubility from the structure",
            "RDKit computes the descriptors only; the link from descriptors to solubility is "
            "learned from the measured molecules.",
        ),
        position=0,
    ),
    _question(
        "nuclei_kind",
        4,
        "In the imaging example each pixel is called nucleus or background by a model that "
        "learned from pixels a person annotated. Which kind of learning is it?",
        (
            "Supervised classification of pixels",
            "The person's annotations are the labels (supervised), and each pixel is put into "
            "one of two categories, nucleus or background (classification).",
        ),
        (
            "Unsupervised clustering of bright and dark pixels",
            "the model learns from annotated pixels, labels given by a person; clustering would "
            "group pixels without them.",
        ),
        (
            "Supervised regression of each pixel's brightness",
            "the brightness is the input, not the answer; the answer is a category, nucleus or "
            "background.",
        ),
        (
            "Deep learning, because the input is an image",
            "this model is a logistic regression on a few filtered brightnesses, no neural "
            "network; an image as input does not make a model deep.",
        ),
        position=0,
    ),
    _question(
        "cell_types_kind",
        4,
        "In the omics example k-means groups 700 blood cells by their RNA, and the sorted cell "
        "types are compared only afterwards. What does that make it, and what follows?",
        (
            "Unsupervised: the groups still need a person to name them from their marker genes",
            "k-means never sees the cell types, so it is unsupervised. Its clusters are "
            "numbered, not named: a person reads each cluster's active genes to say which cell "
            "type it is, and related types can share a cluster.",
        ),
        (
            "Supervised, because the cell types are known",
            "the cell types exist in the data set but the model never sees them; they are used "
            "only to check the groups afterwards.",
        ),
        (
            "Unsupervised, so each cluster is exactly one cell type",
            "clusters follow the largest differences in expression; here related types such as "
            "the T-cell subsets mix, and k-means returns as many groups as asked.",
        ),
        (
            "Regression, because expression levels are numbers",
            "numbers as inputs do not make a regression; regression predicts a number, and here "
            "nothing is predicted, the cells are grouped.",
        ),
        position=1,
    ),
    _question(
        "screening_saves_tests",
        4,
        "In the virtual screen, testing the top 10% of the ranking finds hits several times "
        "more often than testing in random order. What does that show?",
        (
            "The ranking saves assays, but each hit must still be confirmed by testing it",
            "A model trained on the measured compounds puts likely hits first, so fewer assays "
            "find the same hits. The ranking is a prediction: only the assay confirms a hit, "
            "and on unfamiliar chemistry rankings are less reliable.",
        ),
        (
            "The top-ranked compounds are all hits and need no testing",
            "even at the top of the ranking many compounds are not hits; the enrichment is a "
            "rate, not a guarantee for any one compound.",
        ),
        (
            "The model would rank natural extracts just as well",
            "it learned from one synthetic compound series; on very different molecules, such "
            "as natural products, its ranking is much less reliable until it learns from them.",
        ),
        (
            "Random testing finds no hits at all",
            "random order finds hits at the base rate, the share of hits among all untested "
            "compounds; the model's order finds them sooner.",
        ),
        position=2,
    ),
    _question(
        "bias_per_group",
        4,
        "A model predicting ER status is right for 90% of all patients, but for 75% of patients "
        "under 40. A 35-year-old's result comes back ER-positive. What should you do?",
        (
            "Trust it less than for an older patient, and ask for a confirming test",
            "For her group the model is wrong about one time in four, not one in ten: the "
            "overall accuracy hides that. Ask who the model was trained on and how it does for "
            "each group, and confirm results where it is weaker.",
        ),
        (
            "Trust it as much as any result: the model is 90% accurate",
            "90% is an average over all patients; for patients under 40 this model is right "
            "only 75% of the time.",
        ),
        (
            "Ignore the model for everyone: a model with a gap is useless",
            "the model can still help, especially where it is accurate; the gap says where "
            "its results need more checking, not that they are worthless.",
        ),
        (
            "Nothing: a difference between groups is only chance",
            "small groups do make accuracies uncertain, but a gap this size is a warning to "
            "check, not something to assume away.",
        ),
        position=1,
    ),
)

# Objective 2 on the tumours' gene expression (Part 2's second data set).
EXPRESSION_QUESTIONS: tuple[Question, ...] = (
    _question(
        "expression_clusters_vs_classifier",
        2,
        "On the tumours, the classifier trained on ER status gets about four held-out tumours in "
        "five right, yet k-means with k = 2 matches ER status only loosely (ARI about 0.2). Why?",
        (
            "k-means groups by the largest differences in the genes, which are not only ER status",
            "Unsupervised learning finds whatever differs most in the data it is given; in these "
            "genes that mixes ER status with grade and other biology. The classifier is told "
            "which label to find, and the genes do carry it.",
        ),
        (
            "ER status cannot be read from gene expression",
            "the classifier reads it from the very same genes, well above always guessing "
            "ER-positive: the information is there, k-means was simply not looking for it.",
        ),
        (
            "k-means made a mistake and should be run again until it matches",
            "k-means did its job, grouping similar tumours; it never aims at ER status, and "
            "re-running it until it matches would smuggle the labels back in.",
        ),
        (
            "The classifier saw the test tumours' ER status while training",
            "the test tumours were held back and scored only at the end; that is why its "
            "accuracy can be trusted as a guess of how it does on new tumours.",
        ),
        position=0,
    ),
    _question(
        "majority_baseline",
        2,
        "A classifier of ER status is right for 82% of the test tumours, and 68% of those tumours "
        "are ER-positive. What does the 68% tell you?",
        (
            "What always answering ER-positive would score: the model must beat it",
            "A model that learned nothing could reach 68% by always giving the commonest answer. "
            "The model's 82% is worth the 14 points above that, not 82 points above zero.",
        ),
        (
            "That the model is wrong for 68% of the tumours",
            "68% is the share of ER-positive tumours, not of mistakes: the model is wrong for "
            "18% of them.",
        ),
        (
            "That 68% of the genes were used by the model",
            "the model uses all 76 genes; the 68% is about the patients' labels, not the features.",
        ),
        (
            "Nothing: only the model's own accuracy matters",
            "an accuracy means little without the score of guessing: 82% would be poor if 95% of "
            "the tumours were ER-positive.",
        ),
        position=2,
    ),
)

# In page order: each objective's questions together, after the part that teaches them.
QUESTIONS = tuple(
    sorted(QUESTIONS + BIOTECH_QUESTIONS + EXPRESSION_QUESTIONS, key=lambda q: q.objective)
)

QUESTIONS_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}


def questions_for(objective: int) -> list[Question]:
    """The questions checking one objective, in order."""
    return [q for q in QUESTIONS if q.objective == objective]


# A presented slide holds at most this many questions of an objective (with their feedback):
# more would need scrolling on a 1280x720 projector.
QUESTIONS_PER_SLIDE = 3


def slide_count(objective: int) -> int:
    """How many slides the questions of ``objective`` fill, at most
    :data:`QUESTIONS_PER_SLIDE` each."""
    return -(-len(questions_for(objective)) // QUESTIONS_PER_SLIDE)


def on_slide(objective: int, slide: int) -> list[Question]:
    """The questions of ``objective`` on its slide number ``slide`` (from 0), in order.

    The questions are shared out as evenly as the slides allow (13 questions: 3, 3, 3, 2, 2),
    so no slide is left with a single question when the others have three.
    """
    asked, slides = questions_for(objective), slide_count(objective)
    if not 0 <= slide < slides:
        raise IndexError(f"objective {objective} has {slides} slides of questions, not {slide + 1}")
    size, extra = divmod(len(asked), slides)
    start = slide * size + min(slide, extra)
    return asked[start : start + size + (slide < extra)]
