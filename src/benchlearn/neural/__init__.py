"""A small neural network (multilayer perceptron), for contrast with the simpler models."""

from benchlearn.neural.mlp import MLPClassifier, MLPRegressor

__all__ = ["MLPClassifier", "MLPRegressor"]
