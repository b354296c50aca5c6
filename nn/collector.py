"""``paused_gc()``: a training step without CPython's cyclic garbage collector.

A step builds thousands of graph nodes, and each allocation counts towards the
collector's next pass, which then scans every live container object: the
graph being built and, once torch or notebook libraries are imported, their
large heaps too. chainrule's graphs hold no reference cycles (local derivatives
are numbers, never closures), so reference counting frees a graph the moment it
is dropped and the collector finds nothing in it: pausing it during a step loses
nothing. ``fit`` pauses it for each step; hand-written loops can do the same.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block, then restore its state.

    ``with paused_gc(): loss = ...; loss.backward(); opt.step()``. On leaving (also
    by an exception) the collector is enabled again if it was enabled before, and
    any reference cycles the block made are collected by its next pass as usual.
    Drop the graph inside the block (``del loss`` once its number is read): the
    allocations counted while paused make the next pass start at once, and it would
    scan a graph still alive.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
