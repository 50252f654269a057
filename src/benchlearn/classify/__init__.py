"""Classification: logistic regression, trained by Newton's method or gradient descent."""

from benchlearn.classify.logistic import LogisticRegression

__all__ = ["LogisticRegression"]
