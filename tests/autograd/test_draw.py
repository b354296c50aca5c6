"""draw_graph: local derivatives on edges, roles, clusters, escaping, determinism, rendering."""

import io
import json
import math
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from autograd import (
    GraphvizNotInstalled,
    Value,
    draw_dot,
    draw_graph,
    parse_expression,
    topological_order,
)
from autograd.show.draw import HIGHLIGHT_COLOUR, MAX_NODES, ROLES
from chainrule.lessons.backprop import worked_example

GOLDEN = Path(__file__).with_name("draw_golden.json")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EDGE = re.compile(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$", re.MULTILINE)


def neuron_graph():
    """tanh(w1*x1 + w2*x2 + b), built op by op, after backward."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.881373587, label="b")
    n = w1 * x1 + w2 * x2 + b
    n.label = "n"
    out = n.tanh()
    out.label = "out"
    out.backward()
    return out, n


def svg_text(svg: bytes | str) -> str:
    """All the text a rendered SVG shows, joined (labels as the reader sees them)."""
    root = ET.fromstring(svg.encode() if isinstance(svg, str) else svg)
    return " ".join(t.strip() for t in root.itertext() if t.strip())


def edges(dot) -> list[tuple[str, str, str]]:
    """(tail, head, attributes) of every edge in the DOT source, in order."""
    return [(tail, head, attrs or "") for tail, head, attrs in EDGE.findall(dot.source)]


def edge_label(attrs: str) -> str:
    """The label= attribute of an edge's attributes ("" if none)."""
    found = re.search(r"label=(\S+)", attrs)
    return found.group(0) if found else ""


def test_draw_dot_is_draw_graph():
    assert draw_dot is draw_graph


def test_png_renders_with_real_dot():
    out, _ = neuron_graph()
    png = draw_graph(out).pipe(format="png")
    assert png.startswith(PNG_MAGIC)
    image = Image.open(io.BytesIO(png))
    assert image.width > 0 and image.height > 0


def test_svg_shows_labels_data_grads_and_local_derivatives():
    out, n = neuron_graph()
    text = svg_text(draw_graph(out).pipe(format="svg"))
    for label in ("x1", "x2", "w1", "w2", "b", "n", "out", "tanh"):
        assert label in text.split()
    assert f"data {out.data:.4f}" in text
    assert f"grad {n.grad:.4f}" in text
    # d(w1*x1)/d(w1) = x1 = 2 and d(w1*x1)/d(x1) = w1 = -3
    assert "2.0000" in text and "-3.0000" in text


def test_write_image_picks_the_format_from_the_suffix(tmp_path):
    out, _ = neuron_graph()
    dot = draw_graph(out)
    assert dot.write_image(tmp_path / "g.png").read_bytes().startswith(PNG_MAGIC)
    ET.parse(dot.write_image(tmp_path / "sub" / "g.svg"))
    with pytest.raises(ValueError, match=r"g\.gif.*\.png, \.svg, \.pdf"):
        dot.write_image(tmp_path / "g.gif")


def test_each_edge_into_an_op_is_labelled_with_its_local_derivative():
    out, _ = neuron_graph()
    order = topological_order(out)
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    expected = [
        (ids[child], ids[node] + "_op", f"label={local:.4f}")
        for node in order
        for child, local in zip(node.inputs, node.local_grads)
    ]
    drawn = [
        (tail, head, edge_label(attrs))
        for tail, head, attrs in edges(draw_graph(out))
        if "label" in attrs
    ]
    assert drawn == expected


def test_each_local_derivative_is_written_in_its_edges_colour():
    out, n = neuron_graph()  # two-input + and *, and a one-input tanh
    into: dict[str, list[str]] = {}
    for _, head, attrs in edges(draw_graph(out, highlight=n)):
        if head.endswith("_op"):
            into.setdefault(head, []).append(attrs)
    for head, inputs in into.items():
        colours = [re.search(r' color="([^"]+)"', attrs) for attrs in inputs]
        if len(inputs) == 1:  # nothing to tell apart
            assert colours[0] is None or colours[0].group(1) == HIGHLIGHT_COLOUR
            continue
        shades = [found.group(1) for found in colours]
        assert len(set(shades)) == len(shades), head  # one colour per edge
        for attrs, shade in zip(inputs, shades):
            assert f'fontcolor="{shade}"' in attrs  # its label in the same colour
    lit = [attrs for _, head, attrs in edges(draw_graph(out, highlight=n)) if "penwidth" in attrs]
    assert lit and all("current" in attrs for attrs in lit)  # the page finds them by class


def test_local_derivatives_match_the_closed_form():
    a, b = Value(3.0, label="a"), Value(-2.0, label="b")
    product = a * b  # d/da = b, d/db = a
    labels = [
        edge_label(attrs) for _, head, attrs in edges(draw_graph(product)) if head.endswith("_op")
    ]
    assert labels == ["label=-2.0000", "label=3.0000"]


def test_x_times_x_draws_two_labelled_edges():
    x = Value(1.5, label="x")
    square = x * x
    x_id = f"v{topological_order(square).index(x)}"
    from_x = [attrs for tail, _, attrs in edges(draw_graph(square)) if tail == x_id]
    # d(x*x)/dx = x per use, 2x in total; the two edges in two colours
    assert [edge_label(attrs) for attrs in from_x] == ["label=1.5000", "label=1.5000"]
    assert from_x[0] != from_x[1]


def test_local_derivatives_and_grads_can_be_hidden():
    out, _ = neuron_graph()
    dot = draw_graph(out, show_grads=False, show_local_grads=False)
    assert "grad" not in dot.source
    assert all("label" not in attrs for _, _, attrs in edges(dot))
    assert "data 2.0000" in dot.source


def test_known_grads_replace_grads_and_unknown_ones_show_a_question_mark():
    out, n = neuron_graph()
    dot = draw_graph(out, known_grads={out: 1.0, n: 0.25})
    assert '"out | data 0.7071 | grad 1.0000"' in dot.source
    assert '"n | data 0.8814 | grad 0.2500"' in dot.source
    assert '"w1 | data -3.0000 | grad ?"' in dot.source


def test_rankdir_and_title():
    out, _ = neuron_graph()
    assert "rankdir=TB" in draw_graph(out, "TB").source
    assert "rankdir=LR" in draw_graph(out).source
    assert "One neuron" in svg_text(draw_graph(out, title="One neuron").pipe(format="svg"))
    with pytest.raises(
        ValueError, match=r"^draw_graph: expected rankdir to be one of 'LR', 'TB', got 'XY'$"
    ):
        draw_graph(out, "XY")


@pytest.mark.parametrize(
    ("max_nodes", "error", "message"),
    [
        (0, ValueError, "expected max_nodes to be an int >= 1, got 0"),
        (2.5, TypeError, "expected max_nodes to be an int, got 2.5 (float)"),
        (True, TypeError, "expected max_nodes to be an int, got True (bool)"),
    ],
)
def test_max_nodes_must_be_a_positive_int(max_nodes, error, message):
    with pytest.raises(error, match="^" + re.escape(f"draw_graph: {message}") + "$"):
        draw_graph(neuron_graph()[0], max_nodes=max_nodes)


def node_line(dot, label: str) -> str:
    record = re.compile(f'label="({{ )?{label} \\|')  # LR "w1 | ...", TB "{ w1 | ... }"
    return next(line for line in dot.source.splitlines() if record.search(line))


def test_roles_are_coloured():
    out, _ = neuron_graph()
    constant = Value(2.0) * out  # an unlabelled leaf is a constant
    leaves = {node.label: node for node in topological_order(out) if not node.op}
    dot = draw_graph(constant, parameters=[leaves["w1"], leaves["b"]])
    assert ROLES["input"].colour in node_line(dot, "w2")  # no parameter guessed from a label
    assert ROLES["input"].colour in node_line(draw_graph(constant), "w1")
    assert ROLES["parameter"].colour in node_line(dot, "w1")
    assert ROLES["parameter"].colour in node_line(dot, "b")
    assert ROLES["input"].colour in node_line(dot, "x1")
    assert ROLES["constant"].colour in node_line(dot, "2")  # an unlabelled leaf: its value
    assert ROLES["computed"].colour in node_line(dot, "n")
    assert ROLES["root"].colour in node_line(dot, "2·out")  # unlabelled: its expression
    legend = dot.source[dot.source.index("label=<") :]
    for name in ("input", "parameter", "constant", "computed", "root (loss)"):
        assert f">{name}</td>" in legend


def test_parameters_can_be_named_explicitly():
    out, _ = neuron_graph()
    x1 = next(node for node in topological_order(out) if node.label == "x1")
    dot = draw_graph(out, parameters=[x1])
    assert ROLES["parameter"].colour in node_line(dot, "x1")
    assert ROLES["input"].colour in node_line(dot, "w1")


def test_highlight_marks_the_node_its_op_and_the_edges_into_it():
    out, n = neuron_graph()
    dot = draw_graph(out, highlight=n)
    n_id = f"v{topological_order(out).index(n)}"
    highlighted = [line for line in dot.source.splitlines() if "penwidth" in line]
    assert any(line.strip().startswith(f"{n_id} [") for line in highlighted)
    assert any(line.strip().startswith(f"{n_id}_op [") for line in highlighted)
    assert any(f"-> {n_id}_op" in line for line in highlighted)
    assert "current step" in dot.source
    assert "penwidth" not in draw_graph(out).source


def test_clusters_box_their_nodes_under_their_label():
    out, _ = neuron_graph()
    inside = [node for node in topological_order(out) if node.op and node is not out]
    dot = draw_graph(out, clusters={"neuron 1": inside, "empty": [Value(1.0)]})
    assert dot.source.count("subgraph cluster_") == 1  # an empty cluster is not drawn
    body = dot.source[dot.source.index("subgraph cluster_0") :]
    body = body[: body.index("}\n")]
    assert 'label="neuron 1"' in body
    assert '"n |' in body and '"out |' not in body
    assert "neuron 1" in svg_text(dot.pipe(format="svg"))


def test_a_node_in_two_clusters_is_refused():
    out, n = neuron_graph()
    with pytest.raises(ValueError, match="n is in two clusters, 'a' and 'b'"):
        draw_graph(out, clusters={"a": [n], "b": [n]})


def test_labels_cannot_break_dot_or_inject_markup():
    nasty = ['<script>alert("x")</script>', "{a|b}", 'quote " and \\ backslash', "two\nlines"]
    leaves = [Value(float(i), label=label) for i, label in enumerate(nasty)]
    total = leaves[0] + leaves[1] + leaves[2] + leaves[3]
    total.label = "<b>total</b>"
    dot = draw_graph(total, title='<script>"title"</script> {x|y}', clusters={"<i>c</i>": [total]})
    svg = dot.pipe(format="svg")  # dot raises on a syntax error
    root = ET.fromstring(svg)
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    text = svg_text(svg)
    for shown in ('<script>alert("x")</script>', "{a|b}", "<b>total</b>", "<i>c</i>", "{x|y}"):
        assert shown in text
    assert 'quote " and \\ backslash' in text
    assert "two" in text and "lines" in text


def test_same_graph_gives_identical_dot_in_every_run():
    script = (
        "from autograd import Value, draw_graph\n"
        "x = Value(1.5, label='x'); y = Value(-2.0, label='y')\n"
        "z = (x * y + x * x).tanh() / (y ** 2 + 1)\n"
        "z.backward()\n"
        "print(draw_graph(z, title='t', highlight=x).source)\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_too_large_graph_raises_a_clear_error_quickly():
    x = Value(0.5, label="x")
    y = x
    for _ in range(MAX_NODES):
        y = y.tanh()
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"more than max_nodes=1500.*collapse=True"):
        draw_graph(y)
    assert time.perf_counter() - start < 2.0
    assert f"v{MAX_NODES}_op" in draw_graph(y, max_nodes=4000).source  # the way out works


def mlp_like(layers: int, width: int):
    """A stack of tanh neurons, each a cluster: returns (root, clusters)."""
    xs = [Value(0.1 * (i + 1), label=f"x{i + 1}") for i in range(width)]
    clusters: dict[str, list[Value]] = {}
    claimed: set[Value] = set()
    for layer in range(layers):
        outputs = []
        for j in range(width):
            ws = [Value(0.01 * (i - j), label=f"w{i + 1}") for i in range(width)]
            pre = sum((w * x for w, x in zip(ws, xs)), Value(0.0, label="b"))
            out = pre.tanh()
            built = [n for n in topological_order(out, include_leaves=False) if n not in claimed]
            claimed.update(built)
            clusters[f"layer {layer} neuron {j}"] = built
            outputs.append(out)
        xs = outputs
    return sum(xs), clusters


def test_collapse_draws_one_box_per_cluster_with_its_own_weights():
    root, clusters = mlp_like(layers=2, width=3)
    dot = draw_graph(root, collapse=True, clusters=clusters)
    boxes = [line for line in dot.source.splitlines() if "shape=Mrecord" in line]
    assert len(boxes) == 6
    assert "w1" not in dot.source  # the weights went into their neuron's box
    assert node_line(dot, "x1")  # inputs shared by three neurons stay outside
    # one edge per pair of boxes, not one per use
    joined = [(tail, head) for tail, head, _ in edges(dot) if head.startswith("cluster")]
    assert len(joined) == len(set(joined)) == 3 * 3 + 3 * 3
    shown = svg_text(dot.pipe(format="svg"))  # dot lays it out, with every box's label
    assert all(f"layer {layer} neuron {j}" in shown for layer in (0, 1) for j in (0, 1, 2))
    # each box: 3 weights, the bias, 3 products, 3 sums and the tanh
    assert shown.count("11 values") == 6 and "x1" in shown


def test_collapse_happens_by_itself_only_when_needed_and_clusters_exist():
    root, clusters = mlp_like(layers=2, width=3)
    assert "Mrecord" not in draw_graph(root, clusters=clusters).source
    assert "Mrecord" in draw_graph(root, clusters=clusters, max_nodes=60).source
    with pytest.raises(ValueError, match="collapse=True needs clusters"):
        draw_graph(root, collapse=True)
    with pytest.raises(ValueError, match="more than max_nodes=10"):
        draw_graph(root, clusters=clusters, max_nodes=10)


def test_without_dot_rendering_explains_how_to_install_it(monkeypatch, tmp_path):
    out, _ = neuron_graph()
    dot = draw_graph(out)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no `dot` anywhere
    assert "digraph" in str(dot)
    for render in (
        lambda: dot.pipe(format="png"),
        lambda: dot.render(tmp_path / "g"),
        dot._repr_image_svg_xml,
        lambda: dot.write_image(tmp_path / "g.svg"),
    ):
        with pytest.raises(GraphvizNotInstalled, match="apt-get install graphviz"):
            render()


def test_jupyter_shows_the_graph_inline_as_svg():
    out, _ = neuron_graph()
    svg = draw_graph(out)._repr_image_svg_xml()
    assert isinstance(svg, str)
    assert ET.fromstring(svg.encode()).tag.endswith("svg")


def golden_cases() -> dict[str, str]:
    """The DOT source of each drawing option, fixed before draw_graph was split into parts."""
    out, n = neuron_graph()
    root, clusters = mlp_like(layers=2, width=3)
    inputs = [node for node in topological_order(out) if node.label in ("x1", "x2")]
    # the weights and biases, given: the drawings were fixed when they were guessed from labels
    ws = [node for node in topological_order(out) if node.label.startswith(("w", "b"))]
    mlp_ws = [
        node
        for node in topological_order(root)
        if not node.op and node.label.startswith(("w", "b"))
    ]
    return {
        "default": draw_graph(out, parameters=ws).source,
        "step": draw_graph(
            out, highlight=n, known_grads={out: 1.0, n: 0.25}, title="Step 1\nof 2", parameters=ws
        ).source,
        "bare": draw_graph(
            out, "TB", show_grads=False, show_local_grads=False, legend=False, parameters=ws
        ).source,
        "parameters": draw_graph(out, parameters=inputs).source,
        "clusters": draw_graph(root, clusters=clusters, highlight=[root], parameters=mlp_ws).source,
        "collapsed": draw_graph(
            root, clusters=clusters, collapse=True, highlight=root.inputs[0], parameters=mlp_ws
        ).source,
    }


def test_dot_source_is_unchanged_for_every_option():
    assert golden_cases() == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_records_stack_their_fields_in_both_directions():
    out, _ = neuron_graph()
    for rankdir in ("LR", "TB"):
        svg = draw_graph(out, rankdir).pipe(format="svg", encoding="utf-8")
        found = re.findall(r'<text[^>]*\sx="([-\d.]+)" y="([-\d.]+)"[^>]*>([^<]*)</text>', svg)
        where = {text: (float(x), float(y)) for x, y, text in found}
        name, data, grad = where["out"], where["data 0.7071"], where["grad 1.0000"]
        assert name[1] < data[1] < grad[1], rankdir  # name over data over grad
        assert abs(name[0] - data[0]) < 1 and abs(data[0] - grad[0]) < 1, rankdir


def test_jupyter_scales_the_drawing_to_the_cell_width(browser):
    example = worked_example()
    bundle = draw_graph(example.E, "LR", clusters=example.clusters())._repr_mimebundle_()
    assert ET.fromstring(bundle["image/svg+xml"].encode()).tag.endswith("svg")
    cell = bundle["text/html"]
    assert "max-width:100%" in cell and "<title>" not in cell  # no dot ids as tooltips
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.set_content(f'<div style="width: 700px">{cell}</div>')
    drawn = page.locator("svg").bounding_box()
    natural = float(re.search(r'<svg [^>]*width="([\d.]+)pt"', cell).group(1)) * 4 / 3
    assert natural > 1500 and drawn["width"] <= 700  # the demo left to right fits the cell
    assert page.evaluate("document.documentElement.scrollWidth") <= 1000
    page.close()


def test_the_edge_note_is_a_row_of_its_own_under_the_colour_key_in_both_directions():
    out, _ = neuron_graph()
    row = re.compile(r"<tr>(.*?)</tr>")
    for rankdir in ("LR", "TB"):
        rows = row.findall(draw_graph(out, rankdir).source)
        assert "local derivative" not in "".join(rows[:-1])
        assert "∂result/∂input,<br/>in its edge's colour" in rows[-1]
        assert f'colspan="{rows[0].count("<td")}"' in rows[-1]


def test_the_colour_key_is_in_rows_of_three_entries_narrow_enough_for_a_phone():
    x, w = Value(2.0, label="x"), Value(3.0, label="w")
    out = w * x + 0.5  # input, parameter, constant, computed, root and the current step
    out.backward()
    source = draw_graph(out, highlight=out, parameters=[w]).source
    key = [row for row in re.findall(r"<tr>(.*?)</tr>", source) if "bgcolor" in row]
    assert [row.count("<td") for row in key] == [3, 3]
    svg = draw_graph(out, highlight=out, parameters=[w]).pipe(format="svg", encoding="utf-8")
    cells = re.findall(r'<polygon fill="#[0-9a-f]{6}" stroke="transparent" points="([^"]+)"', svg)
    rows: dict[float, list[float]] = {}
    for points in cells:  # the key's filled cells (the records' fills come after, in <g> nodes)
        xs, ys = zip(*(map(float, point.split(",")) for point in points.split()))
        rows.setdefault(min(ys), []).extend(xs)
    widest = max(max(xs) - min(xs) for xs in rows.values())
    # The site draws the smallest text (10-pt edge labels) at no less than 10 px, 1 px a point:
    # the key's widest row then fits a 390-px phone with its margins.
    assert len(rows) >= 2 and widest < 390 - 32, (rows, widest)


def projected(svg: str, screen: tuple[float, float] = (1280, math.inf)) -> tuple[float, float]:
    """A drawing's aspect ratio (width : height) and its smallest text in pixels once it is
    scaled to fit a screen (width, height in pixels; by default 1280 wide, of any height).
    SVG sizes are in points, as its text's."""
    size = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    width, height = float(size[1]), float(size[2])
    smallest = min(float(size) for size in re.findall(r'font-size="([\d.]+)"', svg))
    return width / height, smallest * min(screen[0] / width, screen[1] / height)


def readme_graph() -> Value:
    """The README's first.py."""
    x = Value(0.1, label="x")
    w1, b1 = Value(0.15, label="w1"), Value(0.4, label="b1")
    w2, b2 = Value(0.45, label="w2"), Value(0.65, label="b2")
    a1 = (w1 * x + b1).sigmoid()
    a2 = (w2 * a1 + b2).sigmoid()
    E = 0.5 * (0.25 - a2) ** 2
    E.backward()
    return E


def wide_sum(terms: int) -> Value:
    total = Value(0.5, label="b")
    for i in range(terms):
        total = total + Value(0.1 * i, label=f"w{i}") * Value(1.0, label=f"x{i}")
    return total


def deep_chain(length: int) -> Value:
    node = Value(0.3, label="x")
    for _ in range(length):
        node = node.tanh()
    return node


@pytest.mark.parametrize(
    "root",
    [
        readme_graph(),
        neuron_graph()[0],
        parse_expression("tanh(w*x + b)", {"w": 0.5, "x": 1.5, "b": 0.1}),
        parse_expression("x*y + y*z + z*x", {"x": 1.0, "y": 2.0, "z": 3.0}),
        wide_sum(5),
        wide_sum(8),
        deep_chain(3),
        deep_chain(25),
    ],
    ids=["readme", "neuron", "tanh", "xyz", "sum5", "sum8", "chain3", "chain25"],
)
def test_a_default_drawing_fits_a_16_9_screen_with_text_of_12_px_at_1280(root):
    root.backward()
    aspect, text_px = projected(draw_graph(root).pipe(format="svg", encoding="utf-8"))
    assert aspect <= 2.5 and text_px >= 12


def test_the_readmes_picture_wraps_by_rows_into_a_16_9_screen_neither_tall_nor_wide():
    source = draw_graph(readme_graph()).source
    aspect, text_px = projected(draw_graph(readme_graph()).pipe(format="svg", encoding="utf-8"))
    # left to right in rows stacked top to bottom: at most 2.5:1, and not a tall strip
    assert "rankdir=LR" in source and "cluster_row1" in source
    assert 1 <= aspect <= 2.5 and text_px >= 12


def test_the_demos_pictures_fit_a_1280_by_720_screen_whole_with_text_of_12_px(tmp_path):
    from chainrule.cli import main

    assert main(["backprop", "--output-dir", str(tmp_path), "--format", "svg"]) == 0
    for name in ("forward.svg", "backward.svg"):
        svg = (tmp_path / name).read_text(encoding="utf-8")
        aspect, text_px = projected(svg, screen=(1280, 720))  # fitted by width or by height
        # wrapped into rows of whole neuron boxes: neither a tall strip nor a wide one
        assert 1 <= aspect <= 2.5 and text_px >= 12, (name, aspect, text_px)
        assert 'class="cluster"' in svg and "neuron 2" in svg


def test_numbers_in_a_drawing_carry_4_significant_figures_as_the_tables_do():
    E = readme_graph()
    source = draw_graph(E).source
    # dE/dw1 by a central difference in plain floats: about 0.001021, not "0.0010"
    sigmoid = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731

    def error(w1: float) -> float:
        return 0.5 * (0.25 - sigmoid(0.45 * sigmoid(w1 * 0.1 + 0.4) + 0.65)) ** 2

    h = 1e-6
    slope = (error(0.15 + h) - error(0.15 - h)) / (2 * h)
    assert f"grad {slope:.4g}" in source and f"{slope:.4g}" == "0.001021"
    assert "data 0.4500" in source  # at 0.1 and above: 4 decimals, as before


def test_a_deep_graph_with_neuron_boxes_wraps_by_layer_each_box_whole_inside_its_row():
    x = Value(0.1, label="x")
    w1, b1 = Value(0.15, label="w1"), Value(0.4, label="b1")
    w2, b2 = Value(0.45, label="w2"), Value(0.65, label="b2")
    z1 = w1 * x + b1
    a1 = z1.sigmoid()
    z2 = w2 * a1 + b2
    a2 = z2.sigmoid()
    E = 0.5 * (0.25 - a2) ** 2
    neurons = {"neuron 1": topological_order(a1, include_leaves=False)}
    neurons["neuron 2"] = [n for n in topological_order(a2, include_leaves=False) if n.op]
    neurons["neuron 2"] = [n for n in neurons["neuron 2"] if n not in neurons["neuron 1"]]
    source = draw_graph(E, clusters=neurons).source
    rows = re.split(r"subgraph cluster_row(\d+) \{", source)[1:]
    # row 0 holds neuron 1's box, row 1 neuron 2's, row 2 the loss (boxes nested, not cut)
    assert "rankdir=LR" in source and [rows[i] for i in range(0, len(rows), 2)] == ["0", "1", "2"]
    assert "cluster_0" in rows[1] and "cluster_1" in rows[3]
    assert "cluster_" not in rows[5].split("\n\t}")[0] and source.count("subgraph cluster_0") == 1
