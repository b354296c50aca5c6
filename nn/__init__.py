"""chainrule's neural-network layer: neurons, layers, losses and training, built from Values."""

from nn.activations import (
    ACTIVATIONS,
    Activation,
    StepActivationWarning,
    get_activation,
    softmax,
)
from nn.collector import paused_gc
from nn.data import line_data, make_circles, make_moons, make_xor
from nn.io import ModelFileError, load, save
from nn.losses import cross_entropy, max_margin_loss, mse, squared_error
from nn.module import MLP, Layer, Module, Neuron
from nn.optim import SGD
from nn.train import History, fit

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "SGD",
    "Activation",
    "History",
    "Layer",
    "ModelFileError",
    "Module",
    "Neuron",
    "StepActivationWarning",
    "cross_entropy",
    "fit",
    "get_activation",
    "line_data",
    "load",
    "make_circles",
    "make_moons",
    "make_xor",
    "max_margin_loss",
    "mse",
    "paused_gc",
    "save",
    "softmax",
    "squared_error",
]
