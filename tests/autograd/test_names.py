"""Node names read like the lesson: labels, numbers, expressions; unique; no machine names."""

import re

import pytest

from autograd import Value, draw_graph, topological_order, weighted_sum
from autograd.expression import parse_expression
from autograd.show.explain import explain
from autograd.show.names import MAX_NAME_LENGTH, node_names, partial
from autograd.show.trace import backward_steps, steps_markdown, steps_table
from chainrule.lessons import backprop
from nn import MLP, squared_error

MACHINE_NAME = re.compile(r"\bv\d+\b")


def svg_text(dot) -> str:
    """The text a person sees in the rendered drawing (dot's SVG <text> elements)."""
    svg = dot.pipe(format="svg", encoding="utf-8")
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_the_worked_example_reads_like_the_lesson():
    example = backprop.worked_example()
    names = node_names(example.E)
    labels = ["x", "w1", "b1", "w2", "b2", "T", "z1", "a1", "z2", "a2", "E"]
    generated = ["0.5", "w1·x", "w2·a1", "T − a2", "(T − a2)²"]
    assert sorted(names.values()) == sorted([*labels, *generated])
    assert list(names) == topological_order(example.E)  # listed in topological order


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (lambda x, y: x * y, "x·y"),
        (lambda x, y: x - y, "x − y"),
        (lambda x, y: x - (y + x), "x − (y + x)"),
        (lambda x, y: x + (y - x), "x + y − x"),
        (lambda x, y: (x + y) * (x - y), "(x + y)·(x − y)"),
        (lambda x, y: x / (y * x), "x / (y·x)"),
        (lambda x, y: x * y / x, "x·y / x"),
        (lambda x, y: -(x * y), "−(x·y)"),
        (lambda x, y: (x**2) ** 3, "(x²)³"),
        (lambda x, y: x**0.5, "x^0.5"),
        (lambda x, y: x**-1, "x⁻¹"),
        (lambda x, y: x**y, "x^y"),
        (lambda x, y: 2**x, "2^x"),
        (lambda x, y: -1 * x, "(−1)·x"),
        (lambda x, y: x + -1, "x + (−1)"),
        (lambda x, y: 0.25 * x, "0.25·x"),
        (lambda x, y: x / 3, "x / 3"),
        (lambda x, y: (x * y).sigmoid(), "σ(x·y)"),
        (lambda x, y: (x + y).tanh().exp(), "exp(tanh(x + y))"),
        (lambda x, y: y.relu() * x.log(), "relu(y)·log(x)"),
        (lambda x, y: weighted_sum([y], [x], y), "y·x + y"),
    ],
)
def test_an_unlabelled_node_is_named_by_its_expression(build, name):
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    root = build(x, y)
    assert node_names(root)[root] == name


def test_a_long_expression_is_elided_but_says_what_it_is():
    x, t = Value(0.5, label="x"), Value(1.0, label="t")
    inner = (x * x * x + x).tanh()
    root = (t - inner) ** 2
    names = node_names(root)
    assert names[inner] == "tanh(x·x·x + x)"
    assert names[root] == "(t − tanh(…·x + x))²"  # elided from the inside out
    assert all(len(name) <= MAX_NAME_LENGTH for name in names.values())
    long_label = Value(1.0, label="a_rather_long_label")
    both = long_label * long_label
    assert node_names(both)[both] == "…·…"


def test_a_constant_is_named_by_its_value():
    x = Value(3.0, label="x")
    names = node_names(0.5 * x + 2 - 1 / 3 * x)
    assert {"0.5", "2", "0.3333"} <= set(names.values())


def test_names_are_unique_and_a_label_keeps_its_text():
    x = Value(1.0, label="x")
    first, second = Value(2.0, label="w"), Value(3.0, label="w")
    fake = Value(4.0, label="x·w")  # a label that looks like an expression
    root = x * first + x * second + fake
    names = node_names(root)
    assert len(set(names.values())) == len(names)
    assert names[first] == "w" and names[second] == "w#2" and names[fake] == "x·w"
    generated = root.inputs[0].inputs[0]  # x * first, whose expression is the label "x·w"
    assert names[generated] == "x·w#2"
    # two equal constants are two nodes with two names; inside expressions both read 0.5
    halves = 0.5 * x + 0.5 * x
    names = node_names(halves)
    assert set(names.values()) == {"0.5", "0.5#2", "0.5·x", "0.5·x#2", "0.5·x + 0.5·x#2", "x"}


def test_partial_brackets_an_expression():
    assert partial("E", "a2") == "∂E/∂a2"
    assert partial("E", "w1#2") == "∂E/∂w1#2"
    assert partial("E", "w2[1,3]") == "∂E/∂w2[1,3]"
    assert partial("E", "T − a2") == "∂E/∂(T − a2)"


def test_sum_of_values_draws_no_stray_zero():
    x = Value(2.0, label="x")
    terms = [x * 1.5, x * x, x.tanh()]
    total = sum(terms)
    assert total.inputs[0].inputs == (terms[0], terms[1]) and total.inputs[1] is terms[2]
    assert not [node for node in topological_order(total) if not node.op and node.data == 0.0]
    assert total.data == 2.0 * 1.5 + 4.0 + 0.9640275800758169
    total.backward()
    # d/dx (1.5 x + x^2 + tanh x) = 1.5 + 2x + 1 - tanh^2 x, with plain floats
    tanh = 0.9640275800758169
    assert x.grad == pytest.approx(1.5 + 4.0 + (1.0 - tanh * tanh), rel=1e-15)
    assert sum([x]) is x  # 0 + x is x itself
    assert (0.0 + x).op == "+"  # a float 0 written by a person is still drawn


def test_named_sets_the_label_and_chains():
    x, w, b = Value(0.1, label="x"), Value(0.15, label="w1"), Value(0.4, label="b1")
    a1 = (w * x + b).sigmoid().named("a1")
    assert a1.label == "a1" and a1.op == "sigmoid"
    assert node_names(a1)[a1] == "a1"
    with pytest.raises(TypeError, match=r"named: expected label to be a str, got 3 \(int\)"):
        x.named(3)
    with pytest.raises(ValueError, match="named: expected label to be text that UTF-8"):
        x.named("\ud800")


def person_readable_text(root: Value) -> str:
    """Everything chainrule writes for a person about root's graph: tables, derivations, drawing."""
    root.backward()
    steps = backward_steps(root)
    leaves = [node for node in topological_order(root) if not node.op]
    return "\n".join(
        [
            steps_table(steps),
            steps_markdown(steps),
            *(explain(root, leaf).text for leaf in leaves),
            svg_text(draw_graph(root)),
        ]
    )


def test_no_machine_names_in_the_demo_a_formula_or_an_mlp():
    demo = backprop.worked_example().E
    formula = parse_expression(
        "0.5 * (t - tanh(w * x + b)) ** 2 + exp(-x) / 3", {"t": 1.0, "w": 2.0, "x": 0.5, "b": 0.1}
    )
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    mlp_loss = squared_error(model([0.5, -1.0]), 0.25)
    for root in (demo, formula, mlp_loss):
        names = node_names(root)
        assert len(set(names.values())) == len(names)
        assert not [name for name in names.values() if MACHINE_NAME.search(name)]
        assert not MACHINE_NAME.search(person_readable_text(root))


def test_an_mlps_neurons_are_told_apart_by_their_biases():
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    names = set(node_names(squared_error(model([0.5, -1.0]), 0.25)).values())
    assert {"tanh(Σw·x + b1[1])", "tanh(Σw·x + b1[2])", "Σw·x + b2[1]"} <= names
    assert {"w1[1,1]", "w1[2,2]", "w2[1,2]", "b2[1]"} <= names  # parameters by place
