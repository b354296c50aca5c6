"""The drawing layer: what the engine's graph record looks like to a person.

    draw      a graph as Graphviz (DOT, SVG, PNG): one record per Value
    names     a name for every node (its label, or one derived from its inputs)
    explain   a gradient as the sum over paths of chain-rule products
    trace     the backward pass as a table of steps
    frames    the backward pass as pictures: PNG frames and a GIF
    format    numbers, tables and LaTeX as the drawings and tables print them
    svgplot   small line plots as SVG, for pages without matplotlib

It reads the engine (``autograd``) and never the layers above it; Graphviz and Pillow
are imported only where a drawing or a GIF is made.
"""
