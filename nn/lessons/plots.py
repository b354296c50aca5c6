"""The notebooks' pictures and tables, drawn from the data the lessons return.

Every plot returns a ``matplotlib.figure.Figure`` made without pyplot, so it
touches no global state and a notebook shows it by leaving it as a cell's last
expression. matplotlib is imported inside the functions: it is an extra of the
``notebooks`` and ``test`` installs, not a dependency of the library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from nn.lessons.gradient_descent import Step, cost, optimal_weight

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from nn.lessons.activations import Curve
    from nn.lessons.digits import Mistake
    from nn.lessons.moons import Grid
    from nn.lessons.vanishing import TrainingCurve


@dataclass(frozen=True)
class Table:
    """Rows under headers, shown as a Markdown table in a notebook and as text in a terminal.

    Floats are written with ``float_format`` (".4f": 4 decimals; ".2e": scientific).
    """

    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    float_format: str = ".4f"

    def _cells(self) -> list[list[str]]:
        return [[self._format(cell) for cell in row] for row in self.rows]

    def _format(self, cell: object) -> str:
        return format(cell, self.float_format) if isinstance(cell, float) else str(cell)

    def _repr_markdown_(self) -> str:
        def line(cells: Sequence[str]) -> str:
            # A "|" inside a cell (as in |x|) would end the cell: escape it.
            return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

        header = [line(self.headers), "|" + "---|" * len(self.headers)]
        return "\n".join(header + [line(row) for row in self._cells()])

    def __str__(self) -> str:
        cells = [list(self.headers), *self._cells()]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.headers))]
        return "\n".join("  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells)


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


def plot_digits(
    images: Sequence[Sequence[float]], titles: Sequence[str], columns: int = 8
) -> Figure:
    """8x8 images (64 values, row by row) in a grid, each with its title.

    Pixels are drawn in grey (dark = low); weights, which can be negative, in a
    blue-white-red scale centred on 0.
    """
    rows = -(-len(images) // columns)
    figure, axes = _figure(rows, columns, panel=(1.3, 1.5))
    signed = any(v < 0.0 for image in images for v in image)
    for ax, image, title in zip(axes, images, titles):
        grid = [list(image[r * 8 : r * 8 + 8]) for r in range(8)]
        if signed:
            bound = max(abs(v) for v in image) or 1.0
            ax.imshow(grid, cmap="RdBu_r", vmin=-bound, vmax=bound)
        else:
            ax.imshow(grid, cmap="gray_r", vmin=0.0, vmax=1.0)
        ax.set_title(title, fontsize=9)
    for ax in axes:
        ax.set_axis_off()
    return figure


def plot_confusion_matrix(matrix: Sequence[Sequence[int]]) -> Figure:
    """``matrix[true][predicted]`` counts as a heat map, each count written in its cell."""
    figure, (ax,) = _figure(1, 1, panel=(5.5, 5.0))
    ax.imshow(matrix, cmap="Blues")
    largest = max(max(row) for row in matrix)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            if count:
                color = "white" if count > largest / 2 else "black"
                ax.text(j, i, str(count), ha="center", va="center", color=color, fontsize=8)
    ax.set(xticks=range(len(matrix)), yticks=range(len(matrix)))
    ax.set(xlabel="predicted digit", ylabel="true digit", title="confusion matrix (test images)")
    return figure


def plot_mistakes(mistakes: Sequence[Mistake]) -> Figure:
    """Each misclassified image above a bar chart of its ten predicted probabilities."""
    figure, axes = _figure(2, len(mistakes), panel=(1.8, 1.8))
    for column, mistake in enumerate(mistakes):
        image, bars = axes[column], axes[len(mistakes) + column]
        image.imshow([mistake.image[r * 8 : r * 8 + 8] for r in range(8)], cmap="gray_r")
        image.set_title(f"{mistake.label}, taken for {mistake.predicted}", fontsize=9)
        image.set_axis_off()
        colors = [
            "C3" if k == mistake.predicted else "C2" if k == mistake.label else "C7"
            for k in range(10)
        ]
        bars.bar(range(10), mistake.probabilities, color=colors)
        bars.set(ylim=(0.0, 1.0), xticks=range(10))
        bars.tick_params(labelsize=7)
    axes[len(mistakes)].set_ylabel("probability")
    return figure


def _figure(
    rows: int, columns: int, panel: tuple[float, float] = (4.5, 3.5)
) -> tuple[Figure, list[Axes]]:
    """A new figure, ``panel`` inches (4.5 x 3.5) per panel, and its axes as a flat list."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(panel[0] * columns, panel[1] * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    return figure, [ax for row in axes for ax in row]
