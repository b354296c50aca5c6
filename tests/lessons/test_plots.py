"""The notebooks' tables and figures show the lessons' numbers."""

import io

import pytest

from autograd.show.format import Table
from chainrule.lessons.activations import curve
from chainrule.lessons.digits import Mistake
from chainrule.lessons.gradient_descent import XS, ZS, descend, optimal_weight
from chainrule.lessons.moons import Grid
from chainrule.lessons.plots import (
    descent_table,
    plot_activations,
    plot_confusion_matrix,
    plot_curves,
    plot_decision_boundary,
    plot_descent,
    plot_digits,
    plot_layer_gradients,
    plot_learning_rates,
    plot_mistakes,
    plot_training_curves,
    plot_weight_images,
)
from chainrule.lessons.vanishing import TrainingCurve


def png_bytes(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_table_as_markdown_escapes_pipes_and_formats_floats():
    table = Table(["name", "value"], [("|x|", 0.123456), ("n", 3)])
    assert table._repr_markdown_().splitlines() == [
        "| name | value |",
        "|:---|---:|",
        "| \\|x\\| | 0.1235 |",
        "| n | 3 |",
    ]
    scientific = Table(["v"], [(0.000123,)], float_format=".2e")
    assert scientific._repr_markdown_().splitlines()[-1] == "| 1.23e-04 |"


def test_table_as_text_aligns_numbers_right_and_text_left():
    assert str(Table(["a", "long"], [(1.5, "x"), (10, "yy"), (True, "z")])).splitlines() == [
        "a       long",
        "------  ----",
        "1.5000  x",
        "10      yy",
        "True    z",
    ]
    assert str(Table(["a", "b"], [(1.5, 2), (10, -3)])).splitlines() == [
        "     a   b",
        "------  --",
        "1.5000   2",
        "    10  -3",
    ]


def test_descent_table_lists_each_step_and_the_move_it_makes():
    steps = descend(steps=3)
    table = descent_table(steps, 0.4)
    expected = [(s.iteration, s.w, s.cost, s.gradient) for s in steps]
    assert [row[:4] for row in table.rows] == expected
    for (_, w, _, _, move), following in zip(table.rows, steps[1:]):
        assert w + move == pytest.approx(following.w, abs=1e-15)


def test_plot_descent_draws_the_path_over_the_cost_curve():
    steps = descend(steps=5)
    figure = plot_descent(steps, XS, ZS, title="t")
    path_axes, w_axes = figure.axes
    curve_line, path_line = path_axes.lines
    assert [tuple(p) for p in path_line.get_xydata()] == [(s.w, s.cost) for s in steps]
    assert min(curve_line.get_ydata()) < steps[-1].cost  # the curve reaches below the path
    assert list(w_axes.lines[0].get_ydata()) == [s.w for s in steps]
    assert w_axes.lines[1].get_ydata()[0] == optimal_weight(XS, ZS)
    assert png_bytes(figure).startswith(b"\x89PNG")


def test_plot_learning_rates_has_one_panel_per_rate():
    runs = {lr: descend(lr=lr, steps=4) for lr in (0.02, 0.4, 2.0)}
    figure = plot_learning_rates(runs, XS, ZS)
    assert [ax.get_title() for ax in figure.axes] == ["lr = 0.02", "lr = 0.4", "lr = 2"]
    for ax, steps in zip(figure.axes, runs.values()):
        assert list(ax.lines[1].get_xdata()) == [s.w for s in steps]


def test_plot_curves_draws_each_named_curve():
    figure = plot_curves({"loss": [3.0, 2.0, 1.0], "accuracy": [0.5, 0.9]}, "epoch", log=True)
    (ax,) = figure.axes
    assert [line.get_label() for line in ax.lines] == ["loss", "accuracy"]
    assert list(ax.lines[0].get_ydata()) == [3.0, 2.0, 1.0]
    assert ax.get_yscale() == "log"


def test_plot_layer_gradients_is_on_a_log_scale_by_layer():
    figure = plot_layer_gradients({"sigmoid": [1e-5, 1e-3, 1.0], "relu": [0.5, 0.6, 0.7]})
    (ax,) = figure.axes
    assert ax.get_yscale() == "log"
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3]
    assert list(ax.get_xticks()) == [1, 2, 3]  # whole layers, also for a 2-layer network
    assert list(ax.lines[0].get_ydata()) == [1e-5, 1e-3, 1.0]


def test_plot_training_curves_has_the_losses_then_a_panel_per_network():
    curves = [
        TrainingCurve("sigmoid", [1.0, 0.9], [[1e-5, 1.0], [1e-5, 0.5]]),
        TrainingCurve("relu", [1.0, 0.5], [[0.1, 0.2], [0.1, 0.3]]),
    ]
    figure = plot_training_curves(curves)
    losses, sigmoid, relu = figure.axes
    assert [list(line.get_ydata()) for line in losses.lines] == [[1.0, 0.9], [1.0, 0.5]]
    assert [list(line.get_ydata()) for line in sigmoid.lines] == [[1e-5, 1e-5], [1.0, 0.5]]
    assert relu.get_title() == "relu"


def test_plot_activations_has_a_panel_per_activation():
    xs = [-1.0, 0.0, 1.0]
    curves = [curve(name, xs) for name in ("sigmoid", "relu", "step")]
    figure = plot_activations(curves, {"sigmoid": "(0, 1)", "relu": "[0, inf)", "step": "{0, 1}"})
    visible = [ax for ax in figure.axes if ax.axison]
    assert [ax.get_title() for ax in visible] == [
        "sigmoid: range (0, 1)",
        "relu: range [0, inf)",
        "step: range {0, 1}",
    ]
    for ax, sampled in zip(visible, curves):
        assert list(ax.lines[0].get_ydata()) == sampled.values
        assert list(ax.lines[1].get_ydata()) == sampled.derivatives


def test_plot_decision_boundary_shows_every_point():
    grid = Grid([0.0, 1.0], [0.0, 1.0], [[-1.0, 0.5], [0.2, 1.0]])
    X = [[0.1, 0.1], [0.9, 0.9], [0.5, 0.2]]
    y = [-1, 1, 1]
    figure = plot_decision_boundary(grid, X, y)
    (ax,) = figure.axes
    negatives, positives = ax.collections[-2:]
    assert negatives.get_offsets().tolist() == [[0.1, 0.1]]
    assert positives.get_offsets().tolist() == [[0.9, 0.9], [0.5, 0.2]]
    assert png_bytes(figure).startswith(b"\x89PNG")


def test_plot_digits_shows_each_image_with_its_title_in_rows():
    images = [[[float(i)] * 8 for _ in range(8)] for i in range(12)]
    figure = plot_digits(images, [str(i) for i in range(12)], columns=5)
    assert len(figure.axes) == 15  # 3 rows of 5, the last 3 empty
    assert [ax.get_title() for ax in figure.axes[:12]] == [str(i) for i in range(12)]
    assert figure.axes[11].images[0].get_array().tolist() == images[11]
    assert not figure.axes[12].images


def test_plot_confusion_matrix_writes_every_nonzero_count_in_its_cell():
    counts = [[5, 0, 1], [0, 7, 0], [2, 0, 4]]
    figure = plot_confusion_matrix(counts)
    ax = figure.axes[0]
    assert ax.images[0].get_array().tolist() == counts
    written = {(t.get_position(), t.get_text()) for t in ax.texts}
    assert written == {((0, 0), "5"), ((2, 0), "1"), ((1, 1), "7"), ((0, 2), "2"), ((2, 2), "4")}
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted digit", "true digit")


def test_plot_mistakes_colours_the_predicted_bar_red_and_the_true_bar_green():
    from matplotlib.colors import to_rgba

    mistake = Mistake(3, label=1, predicted=2, probabilities=[0.1, 0.3, 0.6])
    figure = plot_mistakes([mistake], [[[0.0] * 8] * 8])
    picture, bars = figure.axes
    assert picture.get_title() == "true 1, said 2"
    assert [b.get_height() for b in bars.patches] == [0.1, 0.3, 0.6]
    colours = [b.get_facecolor() for b in bars.patches]
    assert colours == [to_rgba("C7"), to_rgba("C2"), to_rgba("C3")]


def test_plot_weight_images_share_one_scale_symmetric_about_zero():
    images = [[[0.5] * 8] * 8, [[-2.0] * 8] * 8]
    figure = plot_weight_images(images, columns=2)
    for ax in figure.axes[:2]:
        assert ax.images[0].get_clim() == (-2.0, 2.0)
    assert png_bytes(figure).startswith(b"\x89PNG")
