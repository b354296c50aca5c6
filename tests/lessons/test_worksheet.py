"""`chainrule worksheet`: 40 A4 pages, each with its student's numbers and a QR code that
decodes (zxing-cpp, from the page rendered by pdfium) to the link of that student's variant."""

import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from chainrule.cli import main
from tests.classroom import ROSTER, plain_answers

A4 = (595.28, 841.89)  # points


def test_forty_pages_with_each_students_numbers_and_link(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join(ROSTER) + "\n", encoding="utf-8")
    keys, sheets = tmp_path / "keys", tmp_path / "sheets.pdf"
    base = ["--roster", str(roster), "--assignment", "hw2"]
    assert main(["variants", *base, "--output-dir", str(keys)]) == 0
    assert main(["worksheet", *base, "--output", str(sheets), "--site", "https://c.example/"]) == 0
    found = {}
    for path in keys.iterdir():
        key = json.loads(path.read_text(encoding="utf-8"))
        found[key["student"]] = key
    reader = PdfReader(sheets)
    assert len(reader.pages) == 40
    rendered = pypdfium2.PdfDocument(sheets)
    sizes = []
    for number, (page, student) in enumerate(zip(reader.pages, ROSTER)):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4)
        given = found[student]["given"]
        seed = int.from_bytes(hashlib.sha256(f"hw2\n{student}".encode()).digest()[:6], "big")
        text = page.extract_text(
            visitor_text=lambda *args: sizes.append(args[4]) if args[0].strip() else None
        )
        assert f"Student: {student}" in text and str(seed) in text
        for name in ("w1", "b1", "w2", "b2", "x", "lr"):
            assert f"{name} = {given[name]:g}" in text
        assert f"T = {given['target']:g}" in text and f"k = {given['k']:g}" in text
        assert f"w_0 = {given['w0']:g}" in text and f"α = {given['alpha']:g}" in text
        for asked in ("z1 =", "∂E/∂w1 =", "new b2 =", "dJ/dw(w_k)"):
            assert asked in text
        image = rendered[number].render(scale=3).to_pil()
        codes = zxingcpp.read_barcodes(image)
        assert len(codes) == 1
        link = urlsplit(codes[0].text)
        assert (link.scheme, link.netloc, link.path) == ("https", "c.example", "/worked.html")
        assert parse_qs(link.query) == {"student": [student], "assignment": ["hw2"]}
    assert sizes and min(sizes) >= 10
    key = PdfReader(tmp_path / "sheets-key.pdf")
    texts = [page.extract_text() for page in key.pages]
    student = ROSTER[3]
    text = "\n".join(t for t in texts if t.startswith(f"Marking key — hw2 — {student}"))
    given = found[student]["given"]
    expected = plain_answers(given)
    for name in ("z1", "∂E/∂w1", "new b2", "J(w_2)", "w_3"):
        assert f"{name} = {expected[name]:.4g}" in text
    wrong = found[student]["wrong_answers"]
    for (quantity, mistake), number in plain_wrong_answers(given, expected).items():
        if mistake in wrong[quantity]:  # a mistake that gives the right number is left out
            assert f"{mistake}: {number:.4g}" in text
    for quantity, numbers in wrong.items():
        below = text.split(f"\n{quantity} = ", 1)[1].split("\n")
        for mistake, number in numbers.items():
            assert f"{mistake}: {number:.4g}" in below[1 : 1 + len(numbers)], (quantity, mistake)
    assert sum(t.startswith("Marking key — hw2 —") and "(continued)" not in t for t in texts) == 40
    assert "sign: the sign of (T − a2)" in texts[-1]
    assert capsys.readouterr().out.splitlines()[-2:] == [
        str(sheets),
        str(tmp_path / "sheets-key.pdf"),
    ]


def plain_wrong_answers(given, answers):
    """Some catalogued mistakes worked in plain floats: (quantity, mistake) -> its number."""
    t, lr, w2, de_dw2 = given["target"], given["lr"], given["w2"], answers["∂E/∂w2"]
    return {
        ("∂E/∂a2", "sign"): t - answers["a2"],
        ("∂E/∂a2", "half"): 2 * (answers["a2"] - t),
        ("new w2", "not-updated"): w2,
        ("new w2", "update-added"): w2 + lr * de_dw2,
        ("new w2", "lr-left-out"): w2 - de_dw2,
        ("∂E/∂b2", "bias-as-weight"): de_dw2,
    }


def test_a_bad_roster_writes_no_sheets(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("Ada\nAda\n", encoding="utf-8")
    sheets = tmp_path / "sheets.pdf"
    argv = ["worksheet", "--roster", str(roster), "--assignment", "hw2", "--output", str(sheets)]
    assert main(argv) == 2
    assert f"{roster}, line 2: 'Ada' is already on line 1" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [roster]
