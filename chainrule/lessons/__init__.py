"""The lessons: each module computes one lesson's numbers and returns them as data.

The `chainrule` command prints them and the notebooks plot them; neither
re-implements a lesson.

    backprop          the worked example: x -> sigmoid neuron -> sigmoid neuron -> E,
                      every gradient as a chain-rule product, one SGD update
    gradient_descent  gradient descent on one weight, and the critical learning rate
    vanishing         why gradients vanish through many sigmoid layers
    activations       the activation functions, their ranges and derivatives
    moons             an MLP learns the two-moons data set
    digits            an MLP 64-32-10 with softmax reads 8x8 handwritten digits

    plots             the notebooks' figures and tables, drawn from the lessons' data
    exercises         the notebooks' exercise checker
"""
