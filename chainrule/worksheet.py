"""Printable worksheets: one A4 page per student, and a marking key for the teacher.

Each student's page shows their variant (``chainrule.variants``): the two-neuron
network drawn with its givens and an empty box for every value the quiz asks
(forward values, gradients, updated parameters), the J(w) table with its blanks,
and the variant's seed as a short code with a QR code of the link that opens the
same variant on the site (``worked.html?student=…&assignment=…``). The marking key
lists every value of every student's variant to 4 significant figures and, under
each, the common wrong numbers with the catalogued mistake each comes from
(``chainrule.mistakes``, recomputed on the student's numbers); its last page says
what each mistake's name means. Text is 10 pt or larger.

The PDF is made with fpdf2 and the QR code with segno (both pure Python, the
``chainrule[class]`` extra); the font is DejaVu Sans (its ∂, σ and names in any
Latin, Greek or Cyrillic script), found in the system's fonts or matplotlib's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from autograd.files import write_atomically
from chainrule.mistakes import CATALOGUE
from chainrule.variants import DESCENT_STEPS, Variant, variant

if TYPE_CHECKING:
    from fpdf import FPDF

SITE_URL = "http://localhost:8000/"
"""The site's address by default: ``python3 -m http.server -d build/site``."""
FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
)
SMALLEST_TEXT = 10.0
"""Points: no text on a sheet is smaller."""
BOX = (24.0, 8.0)
"""An answer box's width and height, in millimetres."""


def variant_link(chosen: Variant, site: str = SITE_URL) -> str:
    """The address that opens ``chosen`` on the site: by student and assignment, else by
    seed, and its task when it is not the default."""
    if chosen.student is not None and chosen.assignment is not None:
        query = {"student": chosen.student, "assignment": chosen.assignment}
    else:
        query = {"seed": str(chosen.seed)}
    if chosen.task != "descent":
        query["task"] = chosen.task
    return f"{site.rstrip('/')}/worked.html?{urlencode(query)}"


def font_file() -> Path:
    """DejaVu Sans: the system's, else matplotlib's copy; a clear error when neither is there."""
    candidates = list(FONT_FILES)
    try:
        import matplotlib

        candidates.append(Path(matplotlib.get_data_path()) / "fonts/ttf/DejaVuSans.ttf")
    except ImportError:
        pass
    for path in candidates:
        if path.is_file():
            return path
    raise OSError("worksheet: needs the DejaVu Sans font (apt-get install fonts-dejavu-core)")


def write_worksheets(
    students: Sequence[str],
    assignment: str,
    output: Path,
    site: str = SITE_URL,
    task: str = "descent",
) -> tuple[Path, Path]:
    """The students' sheets at ``output`` and the marking key beside it (``<stem>-key.pdf``),
    both written atomically after every variant is made (on ``task``)."""
    variants = [variant(student, assignment, task=task) for student in students]
    sheets, key = _document(), _document()
    for chosen in variants:
        _sheet(sheets, chosen, site)
        _key_page(key, chosen)
    _mistakes_page(key)
    key_path = output.with_name(f"{output.stem}-key{output.suffix or '.pdf'}")
    write_atomically(output, bytes(sheets.output()))
    write_atomically(key_path, bytes(key.output()))
    return output, key_path


def _document() -> FPDF:
    try:
        from fpdf import FPDF
    except ImportError:
        raise OSError("worksheet: needs fpdf2 and segno (pip install 'chainrule[class]')") from None
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(font_file()))
    pdf.set_font("DejaVu", size=SMALLEST_TEXT)
    return pdf


def _sheet(pdf: FPDF, chosen: Variant, site: str) -> None:
    pdf.add_page()
    given = chosen.given()
    pdf.set_font_size(16)
    pdf.text(15, 18, f"Backpropagation by hand — {chosen.assignment}")
    pdf.set_font_size(12)
    pdf.text(15, 26, f"Student: {chosen.student}")
    pdf.set_font_size(SMALLEST_TEXT)
    pdf.text(15, 34, "z1 = w1·x + b1,  a1 = σ(z1),  z2 = w2·a1 + b2,  a2 = σ(z2),  "
             "E = ½(T − a2)²,  p ← p − lr·∂E/∂p")  # fmt: skip
    pdf.text(15, 40, "Work to at least 3 significant figures. "
             "σ(z) = 1/(1 + e^−z), σ′(z) = σ(z)(1 − σ(z)).")  # fmt: skip
    _network(pdf, given, top=48)
    _descent_table(pdf, chosen, top=180)
    _code(pdf, chosen, site, top=242)


def _box(pdf: FPDF, x: float, y: float, name: str, label_width: float) -> None:
    """``name =`` and an empty box after it, ``label_width`` to the right of ``x``."""
    pdf.text(x + label_width - pdf.get_string_width(f"{name} ="), y + 5.5, f"{name} =")
    pdf.rect(x + label_width + 1.5, y, *BOX)


def _network(pdf: FPDF, given: dict[str, float], top: float) -> None:
    shown = {name: f"{value:g}" for name, value in given.items()}
    centres = {"x": 25.0, "neuron 1": 80.0, "neuron 2": 140.0, "E": 190.0}
    y = top + 12
    for name, cx in centres.items():
        if name.startswith("neuron"):
            pdf.ellipse(cx - 10, y - 10, 20, 20)
            pdf.text(cx - 2.5, y + 1.5, "σ")
        else:
            pdf.rect(cx - 8, y - 6, 16, 12)
            pdf.text(cx - 1.5 - 1.5 * (name == "x"), y + 1.5, name)
    pdf.line(33, y, 70, y)
    pdf.line(90, y, 130, y)
    pdf.line(150, y, 182, y)
    pdf.text(36, y - 3, f"w1 = {shown['w1']}")
    pdf.text(36, y + 6, f"b1 = {shown['b1']}")
    pdf.text(94, y - 3, f"w2 = {shown['w2']}")
    pdf.text(94, y + 6, f"b2 = {shown['b2']}")
    pdf.text(15, y + 14, f"x = {shown['x']}")
    pdf.text(172, y - 9, f"T = {shown['target']}")
    pdf.text(15, y + 20, f"lr = {shown['lr']}")
    for x, names in ((70.0, ["z1", "a1"]), (130.0, ["z2", "a2"]), (172.0, ["E"])):
        for row, name in enumerate(names):
            _box(pdf, x - 10, y + 14 + 11 * row, name, 10)
    pdf.set_font_size(12)
    pdf.text(15, y + 45, "Backward pass and update")
    pdf.set_font_size(SMALLEST_TEXT)
    second = ["∂E/∂a2", "∂E/∂z2", "∂E/∂w2", "∂E/∂b2", "new w2", "new b2"]
    first = ["∂E/∂a1", "∂E/∂z1", "∂E/∂w1", "∂E/∂b1", "new w1", "new b1"]
    for column, names in ((110.0, second), (20.0, first)):
        for row, name in enumerate(names):
            _box(pdf, column, y + 50 + 10 * row, name, 20)


def _descent_table(pdf: FPDF, chosen: Variant, top: float) -> None:
    pdf.set_font_size(12)
    pdf.text(15, top, "Gradient descent on J(w) = Σ (z − w·x)²")
    pdf.set_font_size(SMALLEST_TEXT)
    data = f"data x = 0.1, 0.2, 0.3, 0.4, 0.5 and z = k·x with k = {chosen.k:g}"
    pdf.text(15, top + 7, f"{data};  w_0 = {chosen.w0:g},  α = {chosen.alpha:g};  w ← w − α·dJ/dw")
    if chosen.task == "divergence":
        pdf.text(130, top, "With this α, J rises: show it.")
    widths = (20.0, 40.0, 50.0, 50.0)
    headers = ("step k", "w_k", "J(w_k)", "dJ/dw(w_k)")
    y = top + 11
    for row in range(DESCENT_STEPS + 2):
        x = 15.0
        for column, width in enumerate(widths):
            pdf.rect(x, y, width, 9)
            if row == 0:
                text = headers[column]
            elif column == 0:
                text = str(row - 1)
            elif column == 1 and row == 1:
                text = f"{chosen.w0:g}"
            else:
                text = ""
            pdf.text(x + 2, y + 6, text)
            x += width
        y += 9


def _code(pdf: FPDF, chosen: Variant, site: str, top: float) -> None:
    import segno

    link = variant_link(chosen, site)
    matrix = segno.make(link, error="m").matrix
    module = 40.0 / (len(matrix) + 8)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(155 + module * (c + 4), top + module * (r + 4), module, module, "F")
    pdf.set_font_size(12)
    pdf.text(15, top + 10, f"Your code: {chosen.seed}")
    pdf.set_font_size(SMALLEST_TEXT)
    pdf.text(15, top + 18, "Scan the QR code, or open the site's worked example")
    task = "" if chosen.task == "descent" else f"&task={chosen.task}"
    pdf.text(15, top + 24, f"with ?seed={chosen.seed}&assignment={chosen.assignment}{task}")
    pdf.text(15, top + 30, "to check your answers with the same numbers.")


KEY_LINE = 5.6
"""Millimetres between the lines of the marking key."""
KEY_ROWS = 43
"""Lines in each of the key page's two columns."""


def _key_lines(chosen: Variant) -> list[tuple[bool, str]]:
    """The key's lines, (indented, text): each answer, and under it each common wrong
    number with the catalogued mistake it comes from."""
    wrong = chosen.wrong_answers()
    lines = []
    for name, value in chosen.answers().items():
        lines.append((False, f"{name} = {value:.4g}"))
        lines += [
            (True, f"{mistake}: {number:.4g}") for mistake, number in wrong.get(name, {}).items()
        ]
    return lines


def _key_page(pdf: FPDF, chosen: Variant) -> None:
    """The student's key, continued on further pages when two columns are not enough."""
    lines = _key_lines(chosen)
    for start in range(0, len(lines), 2 * KEY_ROWS):
        pdf.add_page()
        pdf.set_font_size(14)
        more = " (continued)" if start else ""
        pdf.text(15, 18, f"Marking key — {chosen.assignment} — {chosen.student}{more}")
        pdf.set_font_size(SMALLEST_TEXT)
        given = [f"{name} = {v:g}" for name, v in chosen.given().items()]
        pdf.text(15, 26, f"seed {chosen.seed}: {', '.join(given[:-3])}")
        pdf.text(15, 31, f"J(w), task {chosen.task}: {', '.join(given[-3:])}")
        pdf.text(15, 37, "Indented: a common wrong number and the mistake it comes from.")
        for i, (indented, text) in enumerate(lines[start : start + 2 * KEY_ROWS]):
            column, row = divmod(i, KEY_ROWS)
            pdf.text(15 + 95 * column + 6 * indented, 45 + KEY_LINE * row, text)


def _mistakes_page(pdf: FPDF) -> None:
    """The last page of the key: what each catalogued mistake's name means."""
    pdf.add_page()
    pdf.set_font_size(14)
    pdf.text(15, 18, "The mistakes named in the key")
    pdf.set_font_size(SMALLEST_TEXT)
    for row, mistake in enumerate(CATALOGUE):
        pdf.text(15, 30 + 7 * row, f"{mistake.name}: {mistake.title}")
