"""Glossary of lesson 1: every term the lesson prints in bold, defined in plain words.

Keys are the terms as they appear in the prose (lower case; a plural in the prose, such as
"parameters", matches its singular here). Values are one- or two-sentence definitions.
"""

from __future__ import annotations

# Page ids of glossary terms made of symbols only.
SYMBOL_NAMES = {"±": "plus-minus"}

GLOSSARY: dict[str, str] = {
    "±": "Plus or minus. In “56.0 ± 1.5” the first number is an average and the second the "
    "standard deviation around it: how far a typical value lies from the average.",
    "1/l": "benchlearn's automatic learning rate: 1 divided by L, the steepest curvature of the "
    "loss valley. A step of this size always goes downhill; above 2/L steps diverge.",
    "condition number": "How long and narrow the loss valley is: the ratio of its steepest to its "
    "gentlest direction. 1 is a round bowl; large numbers mean slow gradient descent and, when "
    "huge, digits lost in the exact solution.",
    "e-notation": "A way of writing very large or small numbers: 2.1e+03 means 2.1 × 10³ = 2,100, "
    "and 4.5e-05 means 4.5 × 10⁻⁵ = 0.000045.",
    "hidden layer": "In a neural network, a row of units between the inputs and the output; their "
    "values are computed and used but never shown.",
    "mse": "Mean squared error: the average of the squared residuals.",
    "normal equations": "The small set of equations whose solution is the least-squares line (or "
    "plane): the parameters where the mean squared error is lowest.",
    "parameter table": "A table with one row per parameter of a fitted model: its estimate, "
    "standard error, confidence interval and p-value.",
    "qr": "A numerically careful way of solving the least-squares problem: the data table is split "
    "into a product of two simpler tables, Q and R, so that no digits are lost by multiplying the "
    "table by itself.",
    "standard error": "How much an estimate would vary from one study of the same size to the "
    "next; the confidence interval is built from it.",
    # Part 4: the biotech examples and the bias caution
    "bias": "In a clinical model, errors that fall unevenly on groups of patients (by age, sex, "
    "ancestry, disease type, hospital): the model is less often right for some of them.",
    "biodiversity mining": "Searching natural sources (plants, microbes, their gene clusters) "
    "for useful molecules, using models to choose which of thousands to test first.",
    "descriptor": "A number computed from a molecule's structure, such as its molecular weight "
    "or logP, used as a feature of a model.",
    "enrichment": "In a screen, how many times more often the compounds a model chose are hits "
    "than compounds tested in random order.",
    "er status": "Whether a breast tumour's cells carry the oestrogen receptor (ER-positive) or "
    "not (ER-negative); it decides whether hormone therapy can work.",
    "gene expression": "How active each gene is in a sample, measured from the amount of its RNA.",
    "hit": "In a screen, a compound active enough to follow up; here, pIC50 of 7 or more.",
    "intersection over union": "IoU: the pixels both a model and a person marked, divided by the "
    "pixels either marked; 1 is a perfect match, 0 no overlap.",
    "logs": "log10 of a compound's aqueous solubility in mol/L: −2 means 0.01 mol/L.",
    "pic50": "Minus the log10 of the concentration (mol/L) that halves a target's activity: 7 "
    "means 100 nM; higher is more potent.",
    "population shift": "Using a model on patients (or samples) unlike those it was trained on, "
    "where its accuracy can drop.",
    "single-cell rna sequencing": "Measuring the expression of thousands of genes in each of "
    "thousands of single cells.",
    "accuracy": "The share of cases a classifier gets right, counted on cases it did not learn "
    "from (the test set).",
    "adjusted rand index": "A score of how well two groupings of the same rows agree, corrected "
    "for chance: 1 is perfect agreement, 0 is what random groups would give.",
    "artificial intelligence": "The broad goal of getting computers to do tasks that would "
    "otherwise need human judgement, whether by hand-written rules or by learning.",
    "classification": "Predicting a category (benign or malignant, active or inactive) rather "
    "than a number.",
    "closed form": "A formula that gives a problem's answer in one calculation, with no "
    "step-by-step search. Least-squares regression has one.",
    "clustering": "Splitting rows into groups of similar rows without being told any labels.",
    "confidence interval": "A range of parameter values consistent with the data. A 95% interval "
    "is built so that, over many repeated studies, 95% of such intervals contain the true value.",
    "contingency table": "A table counting how many rows fall in each combination of two "
    "groupings, e.g. cluster by diagnosis.",
    "cross-validation": "Scoring a model several times: split the rows into k folds, train on "
    "k-1 of them and test on the remaining one, once per fold.",
    "deep learning": "Machine learning with neural networks of many layers; it works best with "
    "raw inputs such as images or sequences and large amounts of data.",
    "divergence": "Gradient descent running away: each step overshoots the minimum by more than "
    "the last, so the loss grows instead of shrinking. A smaller learning rate cures it.",
    "feature": "One measured quantity used as input to a model, e.g. nucleus radius or "
    "concentration. Also called a predictor or variable.",
    "feature scaling": "Putting features on comparable scales (e.g. subtracting the mean and "
    "dividing by the standard deviation) so that one learning rate suits every parameter.",
    "gradient": "The direction in which the loss increases fastest, with one component per "
    "parameter. Stepping against it lowers the loss.",
    "gradient descent": "Finding the best parameters by repeatedly taking a small step against "
    "the gradient of the loss.",
    "intercept": "In a straight line b0 + b1·x, the value b0 predicted when x is zero (on a "
    "standard curve against log10 of the concentration, the signal at 1 unit, since log10 of 1 "
    "is 0).",
    "k-means": "A clustering method: choose k, place k centres, then repeatedly assign each row "
    "to its nearest centre and move each centre to the mean of its rows.",
    "label": "The known answer for a training row (a diagnosis, a measured potency) that a "
    "supervised model learns to predict.",
    "learning rate": "The size of each gradient-descent step. Too small is slow; too large "
    "diverges.",
    "linear regression": "Predicting a number as an intercept plus a weighted sum of features, "
    "with the weights chosen to make the mean squared error as small as possible.",
    "logistic regression": "A classification model: a weighted sum of features turned into a "
    "probability between 0 and 1 of belonging to a class.",
    "loss": "One number measuring how wrong a model's predictions are on the data; training "
    "makes it as small as possible.",
    "loss surface": "The loss drawn for every combination of parameter values: a landscape whose "
    "lowest point is the best model.",
    "machine learning": "The part of artificial intelligence in which the computer learns its "
    "rules (the parameters of a model) from example data instead of being told them.",
    "mean squared error": "The average of the squared residuals (MSE); the loss linear "
    "regression minimises.",
    "model": "A recipe that turns the features of a row into a prediction; its adjustable "
    "numbers are its parameters.",
    "neural network": "A model made of layers of simple units, each adding up weighted inputs "
    "and passing the sum through a bend (a non-linear function).",
    "optimization": "Searching for the parameter values that make the loss smallest.",
    "over-fitting": "A model so flexible that it fits the noise of its training data: low "
    "training error, high error on new data.",
    "p-value": "The probability of seeing an estimate at least this far from zero if the true "
    "value were zero. Small p-values mean the data are hard to explain without an effect.",
    "parameter": "A number inside a model that is tuned to the data, such as an intercept or a "
    "slope.",
    "polynomial": "A sum of powers of x: b0 + b1·x + b2·x² + … . The highest power is its degree.",
    "principal component analysis": "PCA: a way to draw many features in two dimensions, along "
    "the directions in which the rows differ most.",
    "r²": "R squared: the share of the spread of the response that a model explains (1 = all, "
    "0 = no better than the mean).",
    "regression": "Predicting a number (a concentration, a potency, a score) rather than a "
    "category.",
    "residual": "Measured value minus predicted value, for one row.",
    "rmse": "Root mean squared error: the square root of the MSE, a typical prediction error in "
    "the units of the response.",
    "slope": "In a straight line b0 + b1·x, the change b1 in the prediction per unit increase "
    "of x.",
    "standard curve": "A calibration line or curve fitted to standards of known amount, used to "
    "read unknown samples' amounts from their signals.",
    "supervised learning": "Learning from rows whose answers (labels) are known, to predict the "
    "answer for new rows.",
    "test set": "Rows held back from training and used only to judge the finished model.",
    "training data": "The example rows (features and, for supervised learning, labels) a model "
    "learns from.",
    "training set": "The part of the data a model is fitted on, as opposed to the test set.",
    "unsupervised learning": "Learning from features alone, without labels: finding groups or "
    "directions of variation.",
    # Part 3: the curve that bends (a 4PL standard curve fitted step by step)
    "four-parameter logistic (4pl)": "An S-shaped curve with four parameters: the bottom and top "
    "plateaus, the EC50 and the Hill slope. The usual curve for ELISA standards and "
    "dose-response data.",
    "ec50": "The concentration at which a response is half-way between its bottom and top "
    "plateaus: the middle of an S-shaped curve, and of a standard curve's useful range.",
    "hill slope": "How steeply an S-shaped curve climbs around its EC50. With a Hill slope of 1 "
    "the response goes from 10% to 90% of its rise over an 81-fold range of concentration; "
    "larger values are steeper.",
    "levenberg–marquardt": "A method for fitting a curve by least squares in steps: at each step "
    "it treats the curve as straight in its parameters near the current guess, solves that "
    "small problem exactly, and takes a shorter step whenever the full one would raise the loss.",
    "starting value": "The parameter values a step-by-step fit begins from. From a poor start a "
    "nonlinear fit can stall or end in the wrong place, so good software reads them off the "
    "data.",
    # Part 3: the molecules' descriptors
    "logp": "How oily a molecule is: the log10 of how much more of it dissolves in octanol (an "
    "oil) than in water. 2 means 100 times more in octanol; below 0, it prefers water.",
    "molecular weight": "The mass of one mole of a molecule, in g/mol: water 18, aspirin 180.",
    "polar surface area": "The surface of a molecule's oxygen and nitrogen atoms and the "
    "hydrogens on them, in square ångströms (Å²): the parts that attract water.",
    "hydrogen-bond donor": "A hydrogen on an oxygen or nitrogen atom (as in –OH or –NH), which "
    "can hold on to an oxygen or nitrogen of another molecule, such as water.",
    "hydrogen-bond acceptor": "An oxygen or nitrogen atom that a hydrogen-bond donor, such as a "
    "hydrogen of water, can hold on to.",
    "rotatable bond": "A single bond outside any ring, between two atoms that each have other "
    "neighbours: the molecule can twist around it. More of them, a floppier molecule.",
    "aromatic": "Of atoms in a flat ring whose electrons are shared all round it, like the six "
    "carbons of benzene.",
    # Part 3's ELISA standard curve
    "elisa": "Enzyme-linked immunosorbent assay: antibodies capture a protein in a well and an "
    "enzyme turns it into colour, more colour for more protein.",
    "optical density": "How much light a sample absorbs, as a plate reader reports it (OD); "
    "in an ELISA, the strength of the colour.",
    "log10": "The base-10 logarithm: the number of tenfold steps from 1. log10 of 10 is 1, of "
    "100 is 2, of 1 is 0, of 0.1 is −1; doubling a concentration adds about 0.3.",
}


def anchor(term: str) -> str:
    """The page id of a glossary entry, e.g. ``"term-loss-surface"`` (links point to it)."""
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in term.lower()).split()
    return "term-" + ("-".join(words) or SYMBOL_NAMES[term])


def lookup(term: str) -> str | None:
    """Definition of ``term`` (case-insensitive; a plural finds its singular), or None."""
    key = " ".join(term.lower().split())
    return GLOSSARY.get(key) or GLOSSARY.get(key.removesuffix("s"))


# The glossary is presented on this many slides, each a run of whole first letters.
SLIDES = 6


def _first_letter(term: str) -> str:
    return term[0].lower()


def on_slide(slide: int, slides: int = SLIDES) -> dict[str, str]:
    """The glossary entries of slide ``slide`` (from 0) of ``slides``, in alphabetical order.

    The sorted terms are cut into ``slides`` runs of whole first letters (every term starting
    with "l" on one slide), as equal in length of text as those cuts allow, so each slide
    holds about the same amount of reading.
    """
    runs = _letter_runs(slides)
    if not 0 <= slide < len(runs):
        raise IndexError(f"the glossary has {len(runs)} slides, not {slide + 1}")
    return {term: GLOSSARY[term] for term in runs[slide]}


def _letter_runs(slides: int) -> list[list[str]]:
    """The sorted terms in ``slides`` runs of whole first letters, the longest run as short
    as possible (a run's length: its terms' and definitions' characters)."""
    letters: dict[str, list[str]] = {}
    for term in sorted(GLOSSARY):
        letters.setdefault(_first_letter(term), []).append(term)
    groups = list(letters.values())
    sizes = [sum(len(term) + len(GLOSSARY[term]) for term in group) for group in groups]

    def cut(limit: int) -> list[list[str]]:
        runs: list[list[str]] = [[]]
        length = 0
        for group, size in zip(groups, sizes, strict=True):
            if runs[-1] and length + size > limit:
                runs.append([])
                length = 0
            runs[-1].extend(group)
            length += size
        return runs

    low, high = max(sizes), sum(sizes)  # the smallest limit that needs at most `slides` runs
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if len(cut(middle)) <= slides else (middle + 1, high)
    return cut(low)
