"""chainrule's teaching layer: questions and checking, the lessons, network files, the
step-through page and the ``chainrule`` command, built on the engine (``autograd``), its
drawings (``autograd.show``) and the network library (``nn``).

    questions    the questions of any graph and the one rule that checks an answer
    quiz         a quiz over those questions, in the terminal, a notebook or a page
    stepthrough  the backward pass as one offline HTML page (and Jupyter's inline view)
    network      network files: any small fully connected network as JSON
    lessons      each lesson's numbers as data, for the command, the notebooks and the site
    cli          the ``chainrule`` command
"""
