"""The notebooks' pictures and tables, drawn from the data the lessons return.

Every plot returns a ``matplotlib.figure.Figure`` made without pyplot, so it
touches no global state and a notebook shows it by leaving it as a cell's last
expression. matplotlib is imported inside the functions: it is an extra of the
``notebooks`` and ``test`` installs, not a dependency of the library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from autograd.show.format import Table
from chainrule.lessons.gradient_descent import Step, cost, optimal_weight

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from chainrule.lessons.activations import Curve
    from chainrule.lessons.digits import Mistake
    from chainrule.lessons.moons import Grid
    from chainrule.lessons.vanishing import TrainingCurve


def descent_table(steps: Sequence[Step], lr: float) -> Table:
    """Each iteration's w, J(w), dJ/dw and the step -lr dJ/dw it takes next."""
    return Table(
        ["iteration", "w", "J(w)", "dJ/dw", "step -lr·dJ/dw"],
        [(s.iteration, s.w, s.cost, s.gradient, -lr * s.gradient) for s in steps],
    )


def plot_descent(
    steps: Sequence[Step], xs: Sequence[float], zs: Sequence[float], title: str = ""
) -> Figure:
    """Left: the path of w over the cost curve J(w). Right: w per iteration, with w* dashed."""
    figure, (curve_axes, w_axes) = _figure(1, 2)
    _draw_path(curve_axes, steps, xs, zs)
    w_axes.plot([s.iteration for s in steps], [s.w for s in steps], "o-", color="C1")
    w_axes.axhline(optimal_weight(xs, zs), color="grey", linestyle="--", label="w*")
    w_axes.set(xlabel="iteration", ylabel="w", title="w per iteration")
    w_axes.legend()
    if title:
        figure.suptitle(title)
    return figure


def plot_learning_rates(
    runs: Mapping[float, Sequence[Step]], xs: Sequence[float], zs: Sequence[float]
) -> Figure:
    """One panel per learning rate: the path of w over the cost curve J(w)."""
    figure, axes = _figure(1, len(runs))
    for ax, (lr, steps) in zip(axes, runs.items()):
        _draw_path(ax, steps, xs, zs)
        ax.set_title(f"lr = {lr:g}")
    return figure


def _draw_path(ax: Axes, steps: Sequence[Step], xs: Sequence[float], zs: Sequence[float]) -> None:
    """The cost curve over the range the path visits, the path's points and arrows between them."""
    ws = [s.w for s in steps]
    w_star = optimal_weight(xs, zs)
    low, high = min(*ws, w_star), max(*ws, w_star)
    margin = 0.1 * (high - low) or 1.0
    grid = [low - margin + (high - low + 2 * margin) * i / 200 for i in range(201)]
    ax.plot(grid, [cost(w, xs, zs) for w in grid], color="grey", label="J(w)")
    ax.plot(ws, [s.cost for s in steps], "o", color="C0", label="w_k")
    for before, after in pairwise(steps):
        ax.annotate(
            "",
            xy=(after.w, after.cost),
            xytext=(before.w, before.cost),
            arrowprops={"arrowstyle": "->", "color": "C0"},
        )
    ax.set(xlabel="w", ylabel="J(w)")
    ax.legend()


def plot_curves(
    curves: Mapping[str, Sequence[float]],
    xlabel: str,
    ylabel: str = "",
    title: str = "",
    log: bool = False,
) -> Figure:
    """One line per named curve against its index (errors per iteration, loss per epoch)."""
    figure, (ax,) = _figure(1, 1)
    for name, values in curves.items():
        ax.plot(range(len(values)), values, "-", label=name)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if log:
        ax.set_yscale("log")
    ax.legend()
    return figure


def plot_layer_gradients(norms: Mapping[str, Sequence[float]]) -> Figure:
    """Each network's gradient norm per layer (input side first), on a log scale."""
    figure, (ax,) = _figure(1, 1)
    for name, values in norms.items():
        ax.plot(range(1, len(values) + 1), values, "o-", label=name)
    ax.set_xticks(range(1, max(len(values) for values in norms.values()) + 1))
    ax.set_yscale("log")
    ax.set(
        xlabel="layer (1 = next to the input)",
        ylabel="||dL/dθ|| of the layer",
        title="gradient reaching each layer",
    )
    ax.legend()
    return figure


def plot_training_curves(curves: Sequence[TrainingCurve]) -> Figure:
    """The loss of each network, then one panel per network: each layer's gradient norm per epoch.

    Layers are coloured from dark (next to the input) to light (the output).
    """
    from matplotlib import colormaps

    figure, axes = _figure(1, len(curves) + 1)
    for curve in curves:
        axes[0].plot(curve.loss, label=curve.activation)
    axes[0].set(xlabel="epoch", ylabel="loss", title="loss")
    axes[0].legend()
    for ax, curve in zip(axes[1:], curves):
        layers = len(curve.grad_norms[0])
        for layer in range(layers):
            ax.plot(
                [norms[layer] for norms in curve.grad_norms],
                color=colormaps["viridis"](layer / max(layers - 1, 1)),
                label=f"layer {layer + 1}" if layer in (0, layers - 1) else None,
            )
        ax.set_yscale("log")
        ax.set(xlabel="epoch", ylabel="||dL/dθ|| of the layer", title=curve.activation)
        ax.legend()
    return figure


def plot_activations(curves: Sequence[Curve], ranges: Mapping[str, str]) -> Figure:
    """One panel per activation: f(x) solid, f'(x) dashed; ``ranges[name]`` titles each panel."""
    columns = 4
    figure, axes = _figure(-(-len(curves) // columns), columns)
    for ax, curve in zip(axes, curves):
        ax.plot(curve.xs, curve.values, "-", label=curve.function)
        ax.plot(curve.xs, curve.derivatives, "--", label="derivative")
        ax.axhline(0.0, color="grey", linewidth=0.5)
        ax.set(xlabel="x", title=f"{curve.name}: range {ranges[curve.name]}")
        ax.legend()
    for ax in axes[len(curves) :]:
        ax.set_axis_off()
    return figure


def plot_decision_boundary(grid: Grid, X: Sequence[Sequence[float]], y: Sequence[int]) -> Figure:
    """The two classes' regions (the sign of the score), the boundary (score 0), and the points."""
    figure, (ax,) = _figure(1, 1)
    ax.contourf(
        grid.xs, grid.ys, grid.scores, levels=[-1e300, 0.0, 1e300], colors=["C0", "C1"], alpha=0.3
    )
    ax.contour(grid.xs, grid.ys, grid.scores, levels=[0.0], colors="black", linewidths=1)
    for label, color in ((-1, "C0"), (1, "C1")):
        points = [p for p, t in zip(X, y) if t == label]
        ax.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            c=color,
            edgecolors="black",
            label=f"y = {label:+d}",
        )
    ax.set(xlabel="x1", ylabel="x2", title="decision boundary")
    ax.legend()
    return figure


Image = Sequence[Sequence[float]]


def plot_digits(images: Sequence[Image], titles: Sequence[str], columns: int = 10) -> Figure:
    """The images in a grid, ``columns`` wide, dark for high values, each with its title."""
    rows = -(-len(images) // columns)
    figure, axes = _figure(rows, columns, 1.1, 1.3)
    for ax, image, title in zip(axes, images, titles):
        ax.imshow(image, cmap="gray_r")
        ax.set_title(title, fontsize=9)
    for ax in axes:
        ax.set_axis_off()
    return figure


def plot_confusion_matrix(counts: Sequence[Sequence[int]]) -> Figure:
    """``counts[d][k]`` (images of digit d called k) as a heat map with each count written in."""
    figure, (ax,) = _figure(1, 1, 5.0, 4.5)
    image = ax.imshow(counts, cmap="Blues")
    largest = max(max(row) for row in counts)
    for d, row in enumerate(counts):
        for k, count in enumerate(row):
            if count:
                colour = "white" if count > largest / 2 else "black"
                ax.text(k, d, str(count), ha="center", va="center", color=colour, fontsize=8)
    ticks = range(len(counts))
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set(xlabel="predicted digit", ylabel="true digit", title="confusion matrix (test set)")
    figure.colorbar(image, ax=ax, shrink=0.8)
    return figure


def plot_mistakes(mistakes: Sequence[Mistake], images: Sequence[Image]) -> Figure:
    """Per mistake: the image over a bar chart of the 10 probabilities.

    The predicted digit's bar is red, the true digit's green.
    """
    figure, axes = _figure(2, len(mistakes), 1.8, 1.8)
    columns = len(mistakes)
    for i, (mistake, image) in enumerate(zip(mistakes, images)):
        picture, bars = axes[i], axes[columns + i]
        picture.imshow(image, cmap="gray_r")
        picture.set_axis_off()
        picture.set_title(f"true {mistake.label}, said {mistake.predicted}", fontsize=9)
        colours = ["C7"] * len(mistake.probabilities)
        colours[mistake.predicted] = "C3"
        colours[mistake.label] = "C2"
        bars.bar(range(len(mistake.probabilities)), mistake.probabilities, color=colours)
        bars.set_ylim(0.0, 1.0)
        bars.set_xticks(range(len(mistake.probabilities)))
        bars.tick_params(labelsize=7)
        if i:
            bars.set_yticklabels([])
        else:
            bars.set_ylabel("probability")
    return figure


def plot_weight_images(images: Sequence[Image], columns: int = 8) -> Figure:
    """Weight images on one diverging scale: red positive, blue negative, white 0."""
    rows = -(-len(images) // columns)
    figure, axes = _figure(rows, columns, 1.2, 1.2)
    largest = max(abs(v) for image in images for row in image for v in row)
    for i, (ax, image) in enumerate(zip(axes, images)):
        picture = ax.imshow(image, cmap="RdBu_r", vmin=-largest, vmax=largest)
        ax.set_title(f"unit {i + 1}", fontsize=8)
    for ax in axes:
        ax.set_axis_off()
    figure.colorbar(picture, ax=axes, shrink=0.6, label="weight")
    return figure


def _figure(
    rows: int, columns: int, width: float = 4.5, height: float = 3.5
) -> tuple[Figure, list[Axes]]:
    """A new figure, ``width`` x ``height`` inches per panel, and its axes as a flat list."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width * columns, height * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    return figure, [ax for row in axes for ax in row]
