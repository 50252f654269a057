"""Check-your-understanding questions of lesson 1, as plain data with their explanations."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """One multiple-choice question.

    Attributes
    ----------
    id : str
        Stable identifier (used by the app, the handout and the tests).
    objective : int
        Which learning objective (1, 2 or 3) it checks.
    prompt : str
        The question, also the accessible name of its radio group.
    choices : tuple of str
        The possible answers, in display order.
    answer : int
        Index of the correct choice.
    explanation : str
        Why the correct choice is correct, shown after any answer.
    """

    id: str
    objective: int
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str

    @property
    def correct_choice(self) -> str:
        """The text of the correct choice."""
        return self.choices[self.answer]


def feedback(question: Question, choice: str | None) -> tuple[bool | None, str]:
    """Judge a chosen answer: ``(True/False, message)``, or ``(None, "")`` before any choice."""
    if choice is None:
        return None, ""
    if choice == question.correct_choice:
        return True, f"Correct. {question.explanation}"
    return False, f"Not quite: the answer is “{question.correct_choice}”. {question.explanation}"


QUESTIONS: tuple[Question, ...] = (
    Question(
        id="ai_ml_dl_nesting",
        objective=1,
        prompt="How do artificial intelligence (AI), machine learning (ML) and deep learning "
        "(DL) relate?",
        choices=(
            "They are three unrelated fields",
            "DL is a kind of ML, and ML is a kind of AI",
            "AI is a kind of ML, and ML is a kind of DL",
            "ML and DL are the same thing with different names",
        ),
        answer=1,
        explanation="They nest: AI is the broad goal, ML reaches it by learning from examples, "
        "and DL is ML with many-layered neural networks.",
    ),
    Question(
        id="rule_vs_learned",
        objective=1,
        prompt="The hand-written rule 'malignant if the mean nucleus radius is above a "
        "threshold' is an example of:",
        choices=(
            "AI without machine learning: a person chose the rule",
            "Deep learning, because it reads an image",
            "Unsupervised learning, because no model was trained",
            "Machine learning, because it uses data",
        ),
        answer=0,
        explanation="Nothing was learned from examples: an expert wrote the rule and chose the "
        "threshold. It is AI in the broad sense, but not machine learning.",
    ),
    Question(
        id="why_test_set",
        objective=1,
        prompt="Why are the three approaches scored on biopsies none of them saw during training?",
        choices=(
            "To make the computation faster",
            "Because the test biopsies are of better quality",
            "Because scoring on the training biopsies would reward memorising them",
            "It makes no difference which biopsies are used",
        ),
        answer=2,
        explanation="A model can look perfect on the rows it was fitted to and still fail on new "
        "patients. Only rows held back tell you how it will do in practice.",
    ),
    Question(
        id="supervised_definition",
        objective=2,
        prompt="What makes a learning method supervised?",
        choices=(
            "A person watches the computer while it learns",
            "It learns from rows whose answer (label) is known",
            "It only works on small data sets",
            "It always predicts a number, never a category",
        ),
        answer=1,
        explanation="Supervised methods learn from labelled examples (the diagnosis, a measured "
        "potency) and predict the label for new rows, whether a category or a number.",
    ),
    Question(
        id="kmeans_uses_labels",
        objective=2,
        prompt="When k-means grouped the biopsies, how did it use the diagnosis?",
        choices=(
            "It did not use it at all; we compared with it only afterwards",
            "It used the diagnosis to place the cluster centres",
            "It used the diagnosis to choose k",
            "It learned to predict the diagnosis",
        ),
        answer=0,
        explanation="k-means is unsupervised: it saw only the 30 measurements. The contingency "
        "table and the adjusted Rand index compare its clusters with the diagnosis afterwards.",
    ),
    Question(
        id="subtype_discovery",
        objective=2,
        prompt="You have gene-expression profiles of 300 tumours and want to propose new "
        "molecular subtypes. Which approach fits?",
        choices=(
            "Linear regression on the tumour size",
            "A classifier trained on the existing subtype labels",
            "Clustering the profiles, then checking the groups against outcomes",
            "A hand-written threshold on one gene",
        ),
        answer=2,
        explanation="New subtypes have no labels yet, so the groups must be found without them "
        "(unsupervised). Whether they matter is then checked against outcomes or experiments.",
    ),
    Question(
        id="mse_definition",
        objective=3,
        prompt="The mean squared error (MSE) of a line is:",
        choices=(
            "The mean of the measured values",
            "The largest residual",
            "The slope squared",
            "The mean of the squared residuals",
        ),
        answer=3,
        explanation="Square each residual (measured minus predicted) and average them. Squaring "
        "counts misses above and below alike and weighs big misses heavily.",
    ),
    Question(
        id="learning_rate_too_large",
        objective=3,
        prompt="Gradient descent's loss grows with every step. What should you do?",
        choices=(
            "Take more steps",
            "Lower the learning rate",
            "Raise the learning rate",
            "Add more features",
        ),
        answer=1,
        explanation="Growing loss means each step overshoots the bottom of the valley "
        "(divergence). Shorter steps (a smaller learning rate) go downhill again.",
    ),
    Question(
        id="overfitting_sign",
        objective=3,
        prompt="As the polynomial degree rises, the training error keeps falling but the test "
        "error starts rising. This is:",
        choices=(
            "Over-fitting",
            "Divergence",
            "A sign that the test set is wrong",
            "A sign that more parameters always help",
        ),
        answer=0,
        explanation="The flexible model follows the noise of the training wells. Choose the "
        "complexity with held-out data: a test set or cross-validation.",
    ),
    Question(
        id="confidence_interval_meaning",
        objective=3,
        prompt="A coefficient's 95% confidence interval is 3.1 to 7.9. What does it tell you?",
        choices=(
            "95% of the patients have a value between 3.1 and 7.9",
            "The model predicts 95% of patients correctly",
            "Values between 3.1 and 7.9 are consistent with the data; 0 is not",
            "The coefficient is exactly 5.5",
        ),
        answer=2,
        explanation="The interval is about the coefficient, not the patients: it is the range of "
        "effect sizes the data support. Since it excludes 0, the data show a positive effect.",
    ),
)

QUESTIONS_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}


def questions_for(objective: int) -> list[Question]:
    """The questions checking one objective, in order."""
    return [q for q in QUESTIONS if q.objective == objective]
