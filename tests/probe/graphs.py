"""Random graphs for the probe's property tests (a helper module, not a test module)."""

from __future__ import annotations

from hypothesis import strategies as st

from autograd import Value


@st.composite
def random_graphs(draw: st.DrawFn) -> Value:
    """A random graph: leaves, then nodes each made of earlier ones (shared, reused)."""
    nodes = [Value(draw(st.floats(-2, 2)), label=f"x{i}") for i in range(draw(st.integers(1, 4)))]
    for _ in range(draw(st.integers(0, 40))):
        a = nodes[draw(st.integers(0, len(nodes) - 1))]
        b = nodes[draw(st.integers(0, len(nodes) - 1))]
        op = draw(st.sampled_from(["+", "*", "tanh"]))
        nodes.append(a + b if op == "+" else a * b if op == "*" else a.tanh())
    return nodes[-1]
