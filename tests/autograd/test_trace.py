"""backward_steps replays backward() exactly; explain() sums the chain rule over every path."""

import itertools
import math

import pytest

from autograd import Value, topological_order, weighted_sum
from autograd.show.explain import Factor, explain
from autograd.show.format import format_number, latex_name, text_table
from autograd.show.trace import BackwardStep, backward_steps, steps_markdown, steps_table


def square_plus_self(x0: float = 3.0):
    x = Value(x0, label="x")
    return x * x + x, x


def neuron(x0: float = 0.5):
    x = Value(x0, label="x")
    w, b = Value(-1.5, label="w"), Value(0.25, label="b")
    return (w * x + b).tanh(), x


def diamond(x0: float = 0.7):
    """Shared sub-expressions: a feeds b and c, both feed d, and a is used again at the end."""
    x = Value(x0, label="x")
    a = x.exp()
    b = a * x
    c = a.sigmoid() + b
    d = (b * c).log() + a / c
    return d, x


def fused_layer(x2_0: float = -1.2):
    x1, x2 = Value(0.3, label="x1"), Value(x2_0, label="x2")
    weights = [Value(0.4, label="w1"), Value(-0.6, label="w2")]
    h = weighted_sum(weights, [x1, x2], Value(0.1, label="b")).relu()
    return (h * h + h.leaky_relu(0.1)) ** 0.5, x2


def worked_example_chain(w2_0: float = 0.45):
    x, w1, b1 = Value(0.1, label="x"), Value(0.15, label="w1"), Value(0.4, label="b1")
    z1 = w1 * x + b1
    z1.label = "z1"
    a1 = z1.sigmoid()
    a1.label = "a1"
    w2, b2 = Value(w2_0, label="w2"), Value(0.65, label="b2")
    z2 = w2 * a1 + b2
    z2.label = "z2"
    a2 = z2.sigmoid()
    a2.label = "a2"
    target = Value(0.25, label="T")
    error = 0.5 * (target - a2) ** 2
    error.label = "E"
    return error, w2


def worked_example_activations(w2: float = 0.45) -> tuple[float, float]:
    """a1 and a2 of worked_example_chain in plain floats."""
    a1 = 1 / (1 + math.exp(-(0.15 * 0.1 + 0.4)))
    return a1, 1 / (1 + math.exp(-(w2 * a1 + 0.65)))


GRAPHS = [square_plus_self, neuron, diamond, fused_layer, worked_example_chain]


def grads_from_steps(root, steps):
    grads = {root: 1.0}
    for step in steps:
        for child, contribution in zip(step.inputs, step.contributions):
            grads[child] = grads.get(child, 0.0) + contribution
    return grads


@pytest.mark.parametrize("build", GRAPHS)
def test_steps_sum_to_the_engine_gradients_bit_for_bit(build):
    root, _ = build()
    steps = backward_steps(root)
    assert all(node.grad == 0.0 for node in topological_order(root))  # nothing mutated
    replayed = grads_from_steps(root, steps)
    root.backward()
    for node in topological_order(root):
        assert replayed[node] == node.grad


@pytest.mark.parametrize("build", GRAPHS)
def test_steps_follow_backward_order_and_arithmetic(build):
    root, _ = build()
    steps = backward_steps(root)
    root.backward()
    assert [step.node for step in steps] == list(reversed(topological_order(root, False)))
    assert [step.index for step in steps] == list(range(1, len(steps) + 1))
    for step in steps:
        assert step.upstream == step.node.grad
        assert step.inputs == step.node.inputs
        assert step.local_grads == step.node.local_grads
        assert step.contributions == tuple(step.upstream * g for g in step.local_grads)


@pytest.mark.parametrize("build", GRAPHS)
def test_each_step_records_its_inputs_running_gradients(build):
    """input_grads = the sum of every contribution to that input up to this step (x * x adds
    twice in one step), and at its last step the input's gradient from backward(), bit for bit."""
    root, _ = build()
    steps = backward_steps(root)
    root.backward()
    running: dict[Value, float] = {}
    last_step = {child: step for step in steps for child in step.inputs}
    for step in steps:
        for child, contribution in zip(step.inputs, step.contributions):
            running[child] = running.get(child, 0.0) + contribution
        assert step.input_grads == tuple(running[child] for child in step.inputs)
        for child, recorded in zip(step.inputs, step.input_grads):
            if last_step[child] is step:
                assert recorded == child.grad


def test_a_leaf_root_has_no_steps():
    assert backward_steps(Value(1.0)) == []
    assert "no backward steps" in steps_table([])
    assert "no backward steps" in steps_markdown([])


def test_backward_step_is_immutable():
    step = backward_steps(neuron()[0])[0]
    assert isinstance(step, BackwardStep)
    with pytest.raises(AttributeError):
        step.upstream = 2.0


def test_steps_table_has_one_aligned_row_per_input():
    root, _ = worked_example_chain()
    steps = backward_steps(root)
    lines = steps_table(steps).splitlines()
    headers = ["step", "node", "op", "∂E/∂node", "input", "∂node/∂input", "contribution"]
    assert lines[0].split() == headers
    assert set(lines[1]) == {"-", " "}
    rows = lines[2:]
    assert len(rows) == sum(len(step.inputs) for step in steps)
    # the numbers are right-aligned: every contribution ends in the same column
    assert len({len(row) for row in rows}) == 1
    # the last row: x into w1 * x, local derivative w1 = 0.15, contribution dE/dz1 * w1 by the
    # closed forms dE/dz1 = (a2 - T) a2 (1 - a2) w2 a1 (1 - a1); 4 significant digits below 0.1
    a1, a2 = worked_example_activations()
    contribution = (a2 - 0.25) * a2 * (1 - a2) * 0.45 * a1 * (1 - a1) * 0.15
    assert rows[-1].split() == ["x", "0.1500", f"{contribution:.4g}"]
    assert f"{contribution:.4g}" == "0.001532"


def test_steps_markdown_is_a_table_with_latex_products():
    x = Value(2.0, label="a|b")
    root = x * x
    root.label = "y"
    text = steps_markdown(backward_steps(root))
    lines = text.splitlines()
    assert lines[0].startswith("| step | node | op |") and "\\partial y" in lines[0]
    assert lines[1].startswith("|---:|")
    assert len(lines) == 4  # header, rule, one row per use of x
    assert "a\\|b" in lines[2]  # a | in a label cannot end the cell
    assert "$1.0000 \\times 2.0000 = 2.0000$" in lines[2]
    assert all(line.count(" | ") == 6 for line in lines[2:])


def test_text_table_aligns_text_left_and_numbers_right():
    table = text_table(["name", "value"], [["a", "1.5"], ["long name", "-10.25"]], {1})
    assert table.splitlines() == [
        "name        value",
        "---------  ------",
        "a             1.5",
        "long name  -10.25",
    ]


@pytest.mark.parametrize("build", GRAPHS)
@pytest.mark.parametrize("merge_unlabelled", [True, False])
def test_explain_total_equals_the_engine_gradient(build, merge_unlabelled):
    root, wrt = build()
    root.backward()
    explanation = explain(root, wrt, merge_unlabelled=merge_unlabelled)
    assert explanation.total == pytest.approx(wrt.grad, abs=1e-12, rel=1e-12)
    h = 1e-6  # and the independent reference: a central difference on fresh graphs
    numeric = (build(wrt.data + h)[0].data - build(wrt.data - h)[0].data) / (2 * h)
    assert explanation.total == pytest.approx(numeric, abs=1e-7, rel=1e-6)
    for path in explanation.paths:
        assert path[0].of is root and path[-1].wrt is wrt
        for before, after in itertools.pairwise(path):
            assert before.wrt is after.of  # the factors chain


def test_x_times_x_plus_x_has_three_paths():
    root, x = square_plus_self(3.0)
    explanation = explain(root, x)
    assert len(explanation.paths) == 3
    # d/dx (x^2 + x) = 2x + 1 = 7: x (left use) + x (right use) + 1
    assert [math.prod(f.value for f in path) for path in explanation.paths] == [3.0, 3.0, 1.0]
    assert explanation.total == 7.0
    detailed = explain(root, x, merge_unlabelled=False)
    assert [len(path) for path in detailed.paths] == [2, 2, 1]
    assert detailed.paths[0][0].symbol == "∂(x·x + x)/∂(x·x)"  # unlabelled: expressions
    assert detailed.text.splitlines()[1].split("=")[1].strip() == (
        "1.0000 · 3.0000 + 1.0000 · 3.0000 + 1.0000"
    )
    assert detailed.text.splitlines()[-1].endswith("= 7.0000")


def test_merged_factors_follow_the_labelled_nodes():
    root, w2 = worked_example_chain()
    root.backward()
    explanation = explain(root, w2)
    (path,) = explanation.paths
    assert [f.symbol for f in path] == ["∂E/∂a2", "∂a2/∂z2", "∂z2/∂w2"]
    # independent closed forms: dE/da2 = a2 - T, da2/dz2 = a2 (1 - a2), dz2/dw2 = a1
    a1, a2 = worked_example_activations()
    expected = [a2 - 0.25, a2 * (1 - a2), a1]
    assert [f.value for f in path] == pytest.approx(expected, rel=1e-12)
    assert explanation.total == pytest.approx(math.prod(expected), rel=1e-12)
    assert all(isinstance(f, Factor) for f in path)


def test_explanation_text_shows_symbols_formulas_numbers_and_total():
    root, w2 = worked_example_chain()
    root.backward()
    explanation = explain(root, w2, formulas={"∂E/∂a2": "(a2 − T)", "∂z2/∂w2": "a1"})
    a1, a2 = worked_example_activations()
    factors = [a2 - 0.25, a2 * (1 - a2), a1]  # the closed forms, each >= 0.1: 4 decimals
    total = math.prod(factors)  # below 0.1: 4 significant digits
    assert explanation.text.splitlines() == [
        "∂E/∂w2 = ∂E/∂a2 · ∂a2/∂z2 · ∂z2/∂w2",
        "       = (a2 − T) · ∂a2/∂z2 · a1",
        "       = " + " · ".join(f"{factor:.4f}" for factor in factors),
        f"       = {total:.4g}",
    ]
    assert explanation.text.splitlines()[2:] == [
        "       = 0.4653 · 0.2037 · 0.6023",
        "       = 0.05707",
    ]
    assert str(explanation) == explanation.text


def test_explanation_markdown_is_latex_for_notebooks():
    root, w2 = worked_example_chain()
    root.backward()
    markdown = explain(root, w2, formulas={"∂E/∂a2": "(a2 − T) & #1"})._repr_markdown_()
    assert markdown.startswith("$$\\begin{aligned}") and markdown.endswith("\\end{aligned}$$")
    assert (
        "\\frac{\\partial E}{\\partial w_{2}} &= \\frac{\\partial E}{\\partial a_{2}}" in markdown
    )
    assert "\\text{(a2 − T) \\& \\#1}" in markdown


def test_explaining_the_root_itself_is_one():
    root, _ = neuron()
    explanation = explain(root, root)
    assert explanation.paths == [[]] and explanation.total == 1.0


def test_explain_refuses_a_node_outside_the_graph():
    root, _ = neuron()
    with pytest.raises(ValueError, match="not part of the graph"):
        explain(root, Value(1.0, label="stranger"))


def test_too_many_paths_raise_before_listing_them():
    x = Value(1.0, label="x")
    y = x
    for _ in range(40):  # each y + y doubles the paths: 2**40 of them
        y = y + y
    with pytest.raises(ValueError, match=r"1099511627776 paths .* max_paths=10000"):
        explain(y, x)
    small = x
    for _ in range(3):
        small = small + small
    assert len(explain(small, x).paths) == 8


@pytest.mark.parametrize(
    ("x", "shown"),
    [
        (0.0, "0.0000"),
        (1.0, "1.0000"),
        (-0.4653, "-0.4653"),
        (0.05707, "0.05707"),
        (0.0010213, "0.001021"),
        (-1.5e-9, "-1.500e-09"),
        (123.456789, "123.4568"),
    ],
)
def test_format_number(x, shown):
    assert format_number(x) == shown


def test_a_derivation_drops_each_line_that_repeats_the_one_before():
    # y = 2x, one path with one factor: the symbols repeat the left-hand side and the
    # product repeats the total, so only "= 2.0000" is left
    x = Value(3.0, label="x")
    y = x * 2.0
    y.label = "y"
    assert explain(y, x).text == "∂y/∂x = 2.0000"
    assert explain(y, x)._repr_markdown_() == (
        "$$\\begin{aligned}\n\\frac{\\partial y}{\\partial x} &= 2.0000\n\\end{aligned}$$"
    )
    # z = x * x: two paths, every line differs from the one before, the last repeats nothing
    z = x * x
    z.label = "z"
    assert explain(z, x).text.splitlines() == [
        "∂z/∂x = ∂z/∂x + ∂z/∂x",
        "      = 3.0000 + 3.0000",
        "      = 6.0000",
    ]


@pytest.mark.parametrize(
    ("name", "latex"),
    [
        ("x", "x"),
        ("w2", "w_{2}"),
        ("a12", "a_{12}"),
        ("loss", "\\mathrm{loss}"),
        ("ab12", "\\mathrm{ab12}"),
        ("a1b", "\\text{a1b}"),
        ("12", "\\text{12}"),
        ("x_1", "\\text{x\\_1}"),
        ("layer.w3", "\\text{layer.w3}"),
        ("{&}", "\\text{\\{\\&\\}}"),
    ],
)
def test_latex_names(name, latex):
    assert latex_name(name) == latex
