"""Backprop written out: a graph compiled to straight-line Python.

``compile_graph(root, inputs, parameters)`` walks the graph once and writes its
forward pass and its backward pass as Python source, one line per node forward
and one line per chain-rule step backward (``g_in += g_node * local``), in the
order of ``backward()`` and of the step-through. The source is compiled into a
function of plain floats: given the inputs' and the parameters' values it returns
the root and d(root)/d(parameter) for each parameter, as ``backward()`` would.

Two renderings of the same code:
    * readable: nodes named by their labels where a label is a Python identifier
      (``dE_dz2 = dE_da2 * a2 * (1.0 - a2)``), every step its own line;
    * fast: generated names only, gradients passed through ``+`` without a copy,
      a node's backward skipped where its gradient is 0 (a relu that is off), and
      in a large graph a neuron with many inputs (``w·x+b`` nodes) written as one
      loop over a slice of the parameters, so the code grows with the neurons, not
      the weights (WRITTEN_OUT_WEIGHTS).

Safety: the source holds only generated identifiers, numbers written by
``repr(float)`` and the op table's code (``autograd.ops``: each row's forward and
derivative as Python). A label is used as a name
only when it is an identifier and not a keyword (else a generated name), and is
never pasted into code otherwise.

A data-dependent choice of an op (a relu that is off, leaky_relu's slope, the
sigmoid's two stable forms) is a runtime condition in the code. A number in the
graph (a constant leaf) is compiled as that number: a graph built by a Python
``if`` on a value holds only the branch taken, so it is valid for that branch.

The code is valid for graphs of one structure: ``structure_key`` says which, and
``compile_graph`` caches the compiled function per key (a second compile of a
graph of the same structure builds nothing).
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import add, mul
from typing import TYPE_CHECKING, Any

from autograd import ops
from autograd.graph import topological_order
from autograd.ops import Op

if TYPE_CHECKING:
    from autograd.value import Value

WRITTEN_OUT_WEIGHTS = 10_000
"""Up to this many weights in ``w·x+b`` nodes, every weight gets its own lines (fast): the
fastest Python, about 4x a loop's speed per weight. Beyond it (a width-256 layer has 65,536),
a neuron of more than ROW_LENGTH weights is written as one loop over a slice of the
parameters, so the code grows with the neurons, not the weights."""
ROW_LENGTH = 24
SUM_TERMS = 64
"""The terms of a written-out weighted sum per line (Python's compiler recurses per term)."""


class CompileError(ValueError):
    """A graph ``compile_graph`` cannot write out (an op it has no rule for, a bad argument)."""


# -- the op table's code: forward expression and local derivatives over operand names ------


def _forward(node: Value, args: Sequence[str]) -> str:
    """The node's value as code: its row's forward code over the operands' code."""
    return node.row.forward_formula("", args)


def _local(node: Value, k: int, args: Sequence[str], out: str) -> str:
    """The local derivative d(node)/d(input k) as code: its row's derivative code."""
    return node.row.local_formula(k, out, args, code=True)


def _activation(node: Value) -> Op | None:
    """The activation row of a fused neuron (None for a plain ``w·x+b``)."""
    bound = node.row.bound
    return bound if isinstance(bound, Op) else None


def _is_neuron(node: Value) -> bool:
    return node.row.unbound is ops.WEIGHTED_SUM


def _activate(activation: Op, z: float) -> float:
    """act(z) on floats, as the fused neuron computes it."""
    argument = () if activation.default is None else (activation.default,)
    return activation.forward(z, *argument)


def _dense_width(node: Value) -> int:
    """n for a fused neuron with edges (w_1..w_n, x_1..x_n, b); raise for the other form."""
    n, odd = divmod(len(node.inputs) - 1, 2)
    z = node.inputs[-1].data
    for w, x in zip(node.inputs[:n], node.inputs[n : 2 * n]):
        z += w.data * x.data
    activation = _activation(node)
    value = z if activation is None else _activate(activation, z)
    if odd or value != node.data:
        raise CompileError(
            "compile: a neuron fed plain numbers records no edges to its inputs; "
            "give it Values as inputs"
        )
    return n


# -- the program: lines that know their node and input -----------------------------------


@dataclass(frozen=True)
class Line:
    """One line of compiled code. ``node`` is the position, in ``topological_order(root)``,
    of the node it computes (forward) or whose gradient it passes on (backward);
    ``input`` the index of the input that the backward step adds to."""

    text: str
    node: int
    input: int | None = None
    backward: bool = False


@dataclass
class Compiled:
    """A graph written out: its source, its lines, and the function compiled from them.

    ``run(parameters, rows, seed)`` runs the code once per row of input values, adding
    ``seed * d(root)/d(parameter)`` over the rows; it returns (each row's root, each
    row's outputs, the summed gradients). ``compiled(inputs, parameters)`` is one row
    with seed 1: (root, gradients), as ``root.backward()`` gives them.
    """

    source: str
    lines: list[Line]
    n_inputs: int
    n_parameters: int
    function: Callable[..., tuple[list[float], list[Any], list[float]]] = field(repr=False)

    def run(
        self, parameters: Sequence[float], rows: Sequence[Sequence[float]], seed: float = 1.0
    ) -> tuple[list[float], list[Any], list[float]]:
        """Each row's root and outputs, and ``seed`` times the gradients summed over the rows."""
        if len(parameters) != self.n_parameters:
            raise ValueError(
                f"compiled graph: expected {self.n_parameters} parameter values, "
                f"got {len(parameters)}"
            )
        if any(len(row) != self.n_inputs for row in rows):
            wrong = next(row for row in rows if len(row) != self.n_inputs)
            raise ValueError(
                f"compiled graph: expected {self.n_inputs} input values per row, got {len(wrong)}"
            )
        return self.function(parameters, rows, seed)

    def text(self) -> str:
        """The lines as a student reads them: the forward pass, a blank line, the backward."""
        forward = [line.text for line in self.lines if not line.backward]
        backward = [line.text for line in self.lines if line.backward]
        return "\n".join(["# forward", *forward, "", "# backward", *backward]) + "\n"

    def __call__(
        self, inputs: Sequence[float], parameters: Sequence[float]
    ) -> tuple[float, list[float]]:
        """(root, d(root)/d(parameter) for each parameter) at these values."""
        roots, _, grads = self.run(parameters, [inputs])
        return roots[0], grads


def _is_name(label: str) -> bool:
    return label.isidentifier() and label.isascii() and not keyword.iskeyword(label)


RESERVED = frozenset(
    {"math", "mul", "add", "P", "G", "rows", "seed", "roots", "outs", "list", "sum", "map"}
)
"""Names the code's frame uses: never a node's."""


def structure_key(
    root: Value, inputs: Sequence[Value] = (), parameters: Sequence[Value] = ()
) -> tuple[object, ...]:
    """What the compiled code depends on: each node's op and input positions, in
    topological order, and each leaf as input i, parameter j or a constant's value."""
    order = topological_order(root)
    return _key(order, {node: k for k, node in enumerate(order)}, _roles(inputs, parameters))


def _key(
    order: list[Value], position: dict[Value, int], roles: dict[Value, tuple[str, int]]
) -> tuple[object, ...]:
    return tuple(
        (node.op, tuple(position[child] for child in node.inputs), _detail(node))
        if node.inputs
        else (roles.get(node) or ("c", node.data, bool(node.label)),)
        for node in order
    )


def _detail(node: Value) -> object:
    """What a computed node's code depends on beyond its op's text: its row's argument
    (leaky_relu's slope, which the text leaves out)."""
    bound = node.row.bound
    return bound.name if isinstance(bound, Op) else bound


def _roles(inputs: Sequence[Value], parameters: Sequence[Value]) -> dict[Value, tuple[str, int]]:
    """Each input leaf -> ("x", i), each parameter -> ("p", j); refuses a computed node or a
    Value listed twice."""
    roles: dict[Value, tuple[str, int]] = {}
    for kind, values in (("x", inputs), ("p", parameters)):
        for i, value in enumerate(values):
            if value.inputs:
                raise CompileError(f"compile: {kind_name(kind)} {i} is a computed node, not a leaf")
            if value in roles:
                raise CompileError(f"compile: {kind_name(kind)} {i} is listed twice")
            roles[value] = (kind, i)
    return roles


def kind_name(kind: str) -> str:
    return "input" if kind == "x" else "parameter"


class _Writer:
    """Writes one graph's forward and backward lines (see the module docstring)."""

    def __init__(
        self,
        root: Value,
        inputs: Sequence[Value],
        parameters: Sequence[Value],
        outputs: Sequence[Value],
        readable: bool,
        names: Mapping[Value, str] | None = None,
    ) -> None:
        self.order = topological_order(root)
        self.position = {node: k for k, node in enumerate(self.order)}
        self.roles = _roles(inputs, parameters)
        for i, output in enumerate(outputs):
            if output not in self.position:
                raise CompileError(f"compile: output {i} is not a node of the root's graph")
        self.root, self.outputs, self.readable = root, outputs, readable
        self.n_parameters = len(parameters)
        self.taken: set[str] = set(RESERVED)  # readable: the names given so far
        self.names = self._names(names or {})
        self.needs_grad = self._needs_grad()
        self.forward: list[Line] = []
        self.backward: list[Line] = []
        self.grad_names: dict[Value, str] = {}
        self.defined: set[str] = set()  # gradient variables assigned so far in a sample
        self.rows: dict[tuple[Value, ...], str] = {}  # a loop neuron's inputs -> their list
        self.row_grads: dict[Value, list[tuple[str, int]]] = {}  # node -> (list, index) to collect
        self.parameter_grads: set[int] = set()  # parameters given gp locals
        self.used_parameters: set[int] = set()  # parameters read as p locals
        self.zs: dict[Value, str] = {}  # a neuron with an activation -> its z variable
        self.slices: dict[str, str] = {}  # "start:stop" -> the variable holding P[start:stop]
        self.uses = _uses(self.order)
        self.widths: dict[Value, int] = {}  # a fused neuron -> its number of weights
        # the weights of all fused neurons, n of (w_1..w_n, x_1..x_n, b) each
        self.weights = sum(len(n.inputs) // 2 for n in self.order if _is_neuron(n))

    # -- names ---------------------------------------------------------------------
    def _names(self, wanted: Mapping[Value, str]) -> dict[Value, str]:
        """Each node's variable (readable: its name in ``wanted``, else its label, where that
        is an identifier and not yet taken), else a generated one."""
        names: dict[Value, str] = {}
        taken = self.taken
        if self.readable:
            for node in self.order:
                label = wanted.get(node, node.label)
                if not _is_name(label):
                    label = node.label
                if _is_name(label) and label not in taken:
                    names[node] = label
                    taken.add(label)
        absent = [node for node in self.roles if node not in self.position]  # not in the graph
        for k, node in [*enumerate(self.order), *((-1, node) for node in absent)]:
            if node in names:
                continue
            role = self.roles.get(node)
            if role is not None:
                base = f"{role[0]}{role[1]}"
            elif node.inputs:
                base = f"v{k}"
            else:
                number = repr(node.data)  # a constant: its number, bracketed if negative
                names[node] = f"({number})" if number.startswith("-") else number
                continue
            if self.readable:  # generated names never collide: only labels can
                while base in taken:
                    base += "_"
                taken.add(base)
            names[node] = base
        return names

    def _needs_grad(self) -> set[Value]:
        """The parameters and every node on a path from the root to a parameter."""
        needs = {node for node in self.order if self.roles.get(node, ("",))[0] == "p"}
        for node in self.order:
            if node.inputs and any(child in needs for child in node.inputs):
                needs.add(node)
        return needs

    def grad_name(self, node: Value) -> str:
        """The variable holding d(root)/d(node) (a parameter's: gp_j, summed over rows)."""
        if node not in self.grad_names:
            role = self.roles.get(node)
            if self.readable:
                name = f"d{self.names[self.root]}_d{self.names[node]}"
            elif role is not None:
                name = f"gp{role[1]}"
            else:
                name = f"g{self.position[node]}"
            self.grad_names[node] = self._fresh(name) if self.readable else name
        return self.grad_names[node]

    def value(self, node: Value) -> str:
        """A node's value as code; a parameter's is read from P once."""
        role = self.roles.get(node)
        if role is not None and role[0] == "p":
            self.used_parameters.add(role[1])
        return self.names[node]

    # -- forward -------------------------------------------------------------------
    def write_forward(self) -> None:
        """One line per computed node (two for a neuron with an activation), in order."""
        for k, node in enumerate(self.order):
            if not node.inputs:  # a constant named in the readable code: T = 0.25
                if node not in self.roles and _is_name(self.names[node]):
                    self.forward.append(Line(f"{self.names[node]} = {node.data!r}", k))
                continue
            if _is_neuron(node):
                self._forward_neuron(k, node, _activation(node))
            else:
                args = [self.value(child) for child in node.inputs]
                self.forward.append(Line(f"{self.names[node]} = {_forward(node, args)}", k))

    def _forward_neuron(self, k: int, node: Value, activation: Op | None) -> None:
        n = self.widths[node] = _dense_width(node)
        weights, xs, bias = node.inputs[:n], node.inputs[n : 2 * n], node.inputs[-1]
        z = self.names[node] if activation is None else self.z_name(node)
        start = self._row_start(weights)
        if start is None:  # b + w1 * x1 + w2 * x2 + ..., left to right, SUM_TERMS a line
            terms = [
                self.value(bias),
                *(f"{self.value(w)} * {self.value(x)}" for w, x in zip(weights, xs)),
            ]
            for first in range(0, len(terms), SUM_TERMS):
                chunk = terms[first : first + SUM_TERMS]
                added = " + ".join(chunk if first == 0 else [z, *chunk])
                self.forward.append(Line(f"{z} = {added}", k))
        else:
            row, weights_row = self.row_list(xs, k), self.slice(start, n)
            self.forward.append(
                Line(f"{z} = sum(map(mul, {weights_row}, {row}), {self.value(bias)})", k)
            )
        if activation is not None:
            code = activation.forward_formula("", [z])
            self.forward.append(Line(f"{self.names[node]} = {code}", k))

    def slice(self, start: int, n: int) -> str:
        """The variable holding the parameters P[start:start + n] (read once a call)."""
        return self.slices.setdefault(f"{start}:{start + n}", f"R{len(self.slices)}")

    def z_name(self, node: Value) -> str:
        """The variable of a neuron's weighted sum z (its node holds act(z))."""
        if node not in self.zs:
            readable = self._fresh(f"{self.names[node]}_z") if self.readable else ""
            self.zs[node] = readable or f"z{self.position[node]}"
        return self.zs[node]

    def _fresh(self, name: str) -> str:
        """``name``, or with ``_`` added until no label or other name has it (readable)."""
        while name in self.taken:
            name += "_"
        self.taken.add(name)
        return name

    def _row_start(self, weights: Sequence[Value]) -> int | None:
        """P's index of the first weight when the neuron is written as a loop (fast, more than
        ROW_LENGTH weights, all parameters in P's order, in a graph of more than
        WRITTEN_OUT_WEIGHTS); else None (written out)."""
        if self.readable or len(weights) <= ROW_LENGTH or self.weights <= WRITTEN_OUT_WEIGHTS:
            return None
        return self._parameters_start(weights)

    def _parameters_start(self, values: Sequence[Value]) -> int | None:
        """j when ``values`` are the parameters j, j + 1, ... in order; else None."""
        first = self.roles.get(values[0])
        if first is None or first[0] != "p":
            return None
        start = first[1]
        wanted = [("p", j) for j in range(start, start + len(values))]
        return start if list(map(self.roles.get, values)) == wanted else None

    def row_list(self, xs: tuple[Value, ...], k: int) -> str:
        """The list of a loop neuron's inputs, made once (the neurons of a layer share it)."""
        if xs not in self.rows:
            start = self._parameters_start(xs)
            if start is not None:  # parameters as inputs (an L2 penalty's p·p): read once
                self.rows[xs] = self.slice(start, len(xs))
            else:
                name = f"X{len(self.rows)}"
                self.rows[xs] = name
                self.forward.append(Line(f"{name} = [{', '.join(self.value(x) for x in xs)}]", k))
        return self.rows[xs]

    # -- backward ------------------------------------------------------------------
    def write_backward(self) -> None:
        """The chain rule, root first in ``backward()``'s order: each step adds
        grad * local derivative to an input's gradient (a parameter's sums over rows)."""
        if self.root not in self.needs_grad:
            return
        root = self.position[self.root]
        seed = "1.0" if self.readable else "seed"  # readable: the seed is applied in G
        if self.root.inputs:
            self._assign(self.grad_name(self.root), seed, root, None, "")
        else:
            self._add(self.root, seed, root, None, "")
        for node in reversed(self.order):
            if not node.inputs or node not in self.needs_grad:
                continue
            k = self.position[node]
            self._collect(node, k, "")
            if self.grad_name(node) not in self.defined:
                continue  # no gradient reaches it (every use was skipped)
            if _is_neuron(node):
                self._backward_neuron(k, node, _activation(node))
                continue
            g = self.grad_name(node)
            args = [self.names[child] for child in node.inputs]
            for i, child in enumerate(node.inputs):
                if child in self.needs_grad:
                    local = _local(node, i, args, self.names[node])
                    term = _times(g, local)
                    self._add(child, term, k, i, "", passes=local == "1.0")
        self._collect_parameters(root)

    def _collect_parameters(self, k: int) -> None:
        """Add to the parameters what loop neurons gathered for them as inputs: a whole
        list of parameters in order at once, into G (an L2 penalty's 2p)."""
        for xs, row in self.rows.items():
            start = self._parameters_start(xs)
            if start is not None and all(x in self.row_grads for x in xs):
                span = f"{start}:{start + len(xs)}"
                self._line(f"G[{span}] = map(add, G[{span}], G{row})", k, None, "")
                for x in xs:
                    self.row_grads[x] = [e for e in self.row_grads[x] if e[0] != f"G{row}"]
        for node in list(self.row_grads):  # other parameters fed to loop neurons as inputs
            self._collect(node, k, "")

    def _backward_neuron(self, k: int, node: Value, activation: Op | None) -> None:
        n = self.widths[node]
        weights, xs, bias = node.inputs[:n], node.inputs[n : 2 * n], node.inputs[-1]
        g, start = self.grad_name(node), self._row_start(weights)
        slope, indent = "1.0", ""
        if activation is not None:  # act'(z), from the activation's row
            slope = activation.local_formula(0, self.names[node], [self.z_name(node)], code=True)
        if not self.readable:  # skipped where no gradient flows: assign what is used after it
            for child in node.inputs:
                if child in self.needs_grad and child not in self.roles:
                    name = self.grad_name(child)
                    if name not in self.defined:
                        self._assign(name, "0.0", k, None, "")
            if start is not None:
                self._row_grads(xs, k)
            if activation is ops.RELU:
                self._line(f"if {self.zs[node]} > 0.0 and {g}:", k, None, "")
                slope = "1.0"
            else:
                self._line(f"if {g}:", k, None, "")
            indent = "    "
        d = g
        if slope != "1.0":
            d = f"d{self.position[node]}" if not self.readable else self._fresh(f"{g}_dz")
            self._line(f"{d} = {_times(g, slope)}", k, None, indent)
        if start is None:
            for i, (w, x) in enumerate(zip(weights, xs)):
                if w in self.needs_grad:
                    self._add(w, f"{d} * {self.value(x)}", k, i, indent)
            for i, (w, x) in enumerate(zip(weights, xs)):
                if x in self.needs_grad:
                    self._add(x, f"{d} * {self.value(w)}", k, n + i, indent)
        else:
            span, row = f"{start}:{start + n}", self.rows[xs]
            # in C: G[span] + d * X, element by element
            self._line(f"G[{span}] = map(add, G[{span}], map({d}.__mul__, {row}))", k, 0, indent)
            if f"G{row}" in self.defined:
                grads = f"G{row}"
                self._line(
                    f"{grads} = list(map(add, {grads}, map({d}.__mul__, {self.slice(start, n)})))",
                    k,
                    n,
                    indent,
                )
        if bias in self.needs_grad:
            self._add(bias, d, k, 2 * n, indent)

    def _row_grads(self, xs: tuple[Value, ...], k: int) -> None:
        """Zero the list of a loop layer's input gradients (once a sample, before its use)
        and note where each input collects its share from it."""
        grads = f"G{self.rows[xs]}"
        if grads in self.defined or self.needs_grad.isdisjoint(xs):
            return
        self._assign(grads, f"[0.0] * {len(xs)}", k, None, "")
        for i, x in enumerate(xs):
            if x in self.needs_grad:
                self.row_grads.setdefault(x, []).append((grads, i))

    def _collect(self, node: Value, k: int, indent: str) -> None:
        """Add what loop neurons gathered for ``node`` (in their inputs' gradient list)."""
        for row, i in self.row_grads.pop(node, ()):
            self._add(node, f"{row}[{i}]", k, None, indent)

    def _add(
        self, child: Value, term: str, k: int, i: int | None, indent: str, passes: bool = False
    ) -> None:
        """d(root)/d(child) += term, the step of edge (node k, input i)."""
        role = self.roles.get(child)
        if role is not None:
            if role[0] != "p":
                return
            self.parameter_grads.add(role[1])
            if self.readable:  # dE_dw1 = ..., added to G after the row
                self._assign(self.grad_name(child), term, k, i, indent)
            else:  # gp_j sums over the rows
                self._line(f"{self.grad_name(child)} += {term}", k, i, indent)
            return
        if passes and not self.readable and not indent and self.uses[child] == 1:
            self.grad_names[child] = term  # a + passes its gradient on: the same variable
            return
        self._assign(self.grad_name(child), term, k, i, indent)

    def _assign(self, name: str, term: str, k: int, i: int | None, indent: str) -> None:
        if name in self.defined:
            self._line(f"{name} += {term}", k, i, indent)
        else:
            self._line(f"{name} = {term}", k, i, indent)
            if not indent:
                self.defined.add(name)

    def _line(self, text: str, k: int, i: int | None, indent: str) -> None:
        self.backward.append(Line(indent + text, k, i, backward=True))

    # -- the function ----------------------------------------------------------------
    def source(self) -> str:
        """The whole function: parameters read once, the rows' loop, the gradients out."""
        names = {role: self.names[node] for node, role in self.roles.items()}
        inputs = [names[("x", i)] for i in range(len(names) - self.n_parameters)]
        parameter = {j: node for node, (kind, j) in self.roles.items() if kind == "p"}
        used, grads = sorted(self.used_parameters), sorted(self.parameter_grads)
        head = ["def compiled(P, rows, seed):"]
        if used and len(used) == self.n_parameters:
            head.append(f"    {''.join(names['p', j] + ', ' for j in used)}= P")
        else:
            head += [f"    {names['p', j]} = P[{j}]" for j in used]
        head += [f"    {name} = P[{span}]" for span, name in self.slices.items()]
        head.append(f"    G = [0.0] * {self.n_parameters}")
        sums = [self.grad_name(parameter[j]) for j in grads]
        if sums and not self.readable:
            head.append(f"    {' = '.join(sums)} = 0.0")
        head += ["    roots = []", "    outs = []"]
        unpacked = ", ".join(inputs) + ("," if len(inputs) == 1 else "")
        head.append(f"    for {unpacked or '_'} in rows:")
        body = [line.text for line in (*self.forward, *self.backward)]
        if self.readable:
            body += [f"G[{j}] += seed * {name}" for j, name in zip(grads, sums)]
        body.append(f"roots.append({self.names[self.root]})")
        if self.outputs:
            body.append(f"outs.append(({''.join(self.names[o] + ', ' for o in self.outputs)}))")
        tail = [] if self.readable else [f"    G[{j}] += {name}" for j, name in zip(grads, sums)]
        tail.append("    return roots, outs, G")
        return "\n".join([*head, *("        " + line for line in body), *tail]) + "\n"


def _times(g: str, local: str) -> str:
    """g * local as code; 1 and -1 need no product, a product no parentheses:
    ``g * a * (1.0 - a)``, as the lesson writes it; a sum or quotient gets them."""
    if local == "1.0":
        return g
    if local == "-1.0":
        return f"-{g}"
    return f"{g} * {local}" if _is_product(local) else f"{g} * ({local})"


def _is_product(code: str) -> bool:
    """Whether ``code`` is a product of factors: no +, -, /, or ``if`` outside parentheses."""
    depth = 0
    for index, char in enumerate(code):
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return False  # "(a) * (b)" is not one parenthesised expression
        if depth == 0 and (char in "+-/" or code.startswith(" if ", index)):
            return False
    return True


def _uses(order: Sequence[Value]) -> dict[Value, int]:
    """How many edges lead into each node (x * x counts twice)."""
    uses = dict.fromkeys(order, 0)
    for node in order:
        for child in node.inputs:
            uses[child] += 1
    return uses


_NAMESPACE = {"math": math, "mul": mul, "add": add}
_BUILTINS = {"sum": sum, "map": map, "list": list}
_CACHE: dict[tuple[object, ...], Compiled] = {}
CACHE_SIZE = 64
"""How many compiled structures are kept (the oldest is dropped first)."""


def compile_graph(
    root: Value,
    inputs: Sequence[Value] = (),
    parameters: Sequence[Value] = (),
    *,
    outputs: Sequence[Value] = (),
    readable: bool = False,
    names: Mapping[Value, str] | None = None,
) -> Compiled:
    """``root``'s forward and backward pass as Python, compiled for graphs of its structure.

    ``inputs`` and ``parameters`` are leaves of the graph: the compiled function takes
    their values (in these orders) and returns the root and d(root)/d(parameter) for
    each parameter; every other leaf is a constant, written as its number. ``outputs``
    are nodes whose values ``run`` also returns, per row. ``readable=True`` names nodes
    by their labels (where a label is an identifier) and writes every step as a line;
    ``names`` may name nodes instead of their labels (used where it is an identifier:
    the drawing layer's ``code_names``).
    """
    writer = _Writer(root, inputs, parameters, outputs, readable, names)
    key = (
        _key(writer.order, writer.position, writer.roles),
        tuple(writer.position[o] for o in outputs),
        readable and tuple(writer.names[node] for node in writer.order),
        writer.weights > WRITTEN_OUT_WEIGHTS,
    )
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    writer.write_forward()
    writer.write_backward()
    source = writer.source()
    namespace: dict[str, Any] = {**_NAMESPACE, "__builtins__": _BUILTINS}
    exec(compile(source, "<compiled graph>", "exec"), namespace)
    compiled = Compiled(
        source,
        [*writer.forward, *writer.backward],
        sum(1 for kind, _ in writer.roles.values() if kind == "x"),
        len(parameters),
        namespace["compiled"],
    )
    if len(_CACHE) >= CACHE_SIZE:
        del _CACHE[next(iter(_CACHE))]
    _CACHE[key] = compiled
    return compiled
