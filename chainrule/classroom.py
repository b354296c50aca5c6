"""A class: rosters, one marking key per student, hand-ins and their regrading.

A roster is a CSV file, one student a line, the name in the first column (a first
line ``student`` or ``name`` is a header). ``read_roster`` refuses the whole file,
in one line naming the file and the line, for an empty name, a name given twice,
a line longer than ``MAX_LINE`` characters or bytes that are not UTF-8.

A hand-in is a small JSON object (or ``HANDIN_PREFIX`` + its compressed base64
text, the "short code" for a learning platform's text box)::

    {"chainrule": "hand-in", "version": 1, "student": "Ada Okafor", "assignment": "hw2",
     "seed": 123, "answers": {"z1": "0.415", ...}, "tries": {...}, "hints": {...},
     "seconds": 310}

``"task"`` is the variant's (``chainrule.variants.TASKS``; "descent" when absent).
A student who opened their variant by number (``?seed=…``) hands in with ``"student":
null``: the seed is then the variant itself, and ``"assignment"`` is the link's (null
when it named none).

``grade`` rebuilds the variant from the seed and checks every answer itself: any
verdict the file claims is ignored. A seed that is not the student's for the
assignment (a forged hand-in), another assignment, or a file that is not a
hand-in raises ``HandInError`` naming the file.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from autograd.show.format import text_table
from chainrule.mistakes import BY_NAME
from chainrule.questions import SIGNIFICANT_FIGURES, TRIES, Verdict, shown_value
from chainrule.variants import SEED_LIMIT, TASKS, Variant, seed_of, variant
from nn.io import write_text_atomically

MAX_LINE = 1000
"""The longest roster line read, in characters."""
MAX_HANDIN_BYTES = 1_000_000
HANDIN_PREFIX = "chainrule1:"
HEADERS = ("student", "name")


class RosterError(ValueError):
    """A roster that cannot be used: the message names the file and the line."""


class HandInError(ValueError):
    """A hand-in that cannot be graded: the message names the file and why."""


def read_roster(path: Path) -> list[str]:
    """The students' names of a roster file, in its order (see the module docstring)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise RosterError(f"{path}: cannot read the roster: {error.strerror}") from None
    students: list[str] = []
    lines: dict[str, int] = {}  # casefolded name -> its line
    for number, raw in enumerate(data.split(b"\n"), 1):
        where = f"{path}, line {number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r")
        except UnicodeDecodeError:
            raise RosterError(f"{where}: not UTF-8 text (save the roster as UTF-8)") from None
        if len(line) > MAX_LINE:
            raise RosterError(f"{where}: longer than {MAX_LINE} characters")
        if not line.strip():
            continue
        cells = next(csv.reader([line]))
        name = unicodedata.normalize("NFC", cells[0] if cells else "").strip()
        if number == 1 and name.lower() in HEADERS:
            continue
        if not name:
            raise RosterError(f"{where}: the student's name is empty")
        if name.casefold() in lines:
            raise RosterError(f"{where}: {name!r} is already on line {lines[name.casefold()]}")
        lines[name.casefold()] = number
        students.append(name)
    if not students:
        raise RosterError(f"{path}: no students in the roster")
    return students


def key_path(folder: Path, chosen: Variant) -> Path:
    """Where ``write_keys`` puts a student's key: the name made safe for a file, and the
    seed in hexadecimal (so two names that look alike get two files)."""
    name = chosen.student or "seed"
    slug = re.sub(r"[^\w-]+", "-", name, flags=re.ASCII).strip("-").lower() or "student"
    return folder / f"{slug}-{chosen.seed:012x}.json"


def write_keys(
    students: Sequence[str], assignment: str, folder: Path, task: str = "descent"
) -> list[Path]:
    """One JSON key per student in ``folder`` (``Variant.key()``, on ``task``), each written
    atomically; every variant is made before the first file is written."""
    variants = [variant(student, assignment, task=task) for student in students]
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_text_atomically(
            key_path(folder, chosen), json.dumps(chosen.key(), ensure_ascii=False, indent=2) + "\n"
        )
        for chosen in variants
    ]


# --- hand-ins and grading ------------------------------------------------------------


@dataclass(frozen=True)
class HandIn:
    """What a student handed in: who (None for a variant opened by its seed alone), which
    variant, the texts typed (by quantity), and the tries, hints and seconds the page
    counted (verdicts are never read)."""

    student: str | None
    assignment: str | None
    seed: int
    answers: dict[str, str]
    tries: dict[str, int] = field(default_factory=dict)
    hints: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    task: str = "descent"

    @property
    def who(self) -> str:
        """The student's name, or "seed N" for a variant opened by its seed."""
        return self.student if self.student is not None else f"seed {self.seed}"

    def variant(self) -> Variant:
        """The variant handed in: the student's for the assignment, else the seed's."""
        if self.student is None:
            return variant(seed=self.seed, assignment=self.assignment, task=self.task)
        return variant(self.student, self.assignment, task=self.task)

    def to_dict(self) -> dict[str, object]:
        """The hand-in file's JSON object."""
        return {
            "chainrule": "hand-in",
            "version": 1,
            "student": self.student,
            "assignment": self.assignment,
            "seed": self.seed,
            "answers": self.answers,
            "tries": self.tries,
            "hints": self.hints,
            "seconds": self.seconds,
            "task": self.task,
        }

    def code(self) -> str:
        """The short text code: ``HANDIN_PREFIX`` and the compressed JSON in base64url."""
        compact = json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
        packed = base64.urlsafe_b64encode(zlib.compress(compact.encode(), 9)).decode()
        return HANDIN_PREFIX + packed.rstrip("=")


def parse_hand_in(text: str, source: str = "hand-in") -> HandIn:
    """A hand-in from its file's text (JSON or the short code); HandInError names ``source``."""
    stripped = text.strip()
    if stripped.startswith(HANDIN_PREFIX):
        packed = stripped[len(HANDIN_PREFIX) :]
        try:
            raw = base64.b64decode(packed + "=" * (-len(packed) % 4), b"-_", validate=True)
            unpacker = zlib.decompressobj()
            stripped = unpacker.decompress(raw, MAX_HANDIN_BYTES).decode()
            if not unpacker.eof:
                raise ValueError("truncated")
        except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError):
            raise HandInError(f"{source}: corrupt: the code is damaged") from None
    try:
        data = json.loads(stripped, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError, RecursionError):
        raise HandInError(f"{source}: corrupt: not a chainrule hand-in (not JSON)") from None
    if not isinstance(data, dict) or data.get("chainrule") != "hand-in":
        raise HandInError(f"{source}: corrupt: not a chainrule hand-in")
    return _hand_in(data, source)


def _no_constant(name: str) -> float:
    raise ValueError(name)


def _hand_in(data: Mapping[str, object], source: str) -> HandIn:
    by_seed = data.get("student") is None
    student = None if by_seed else _name(data.get("student"), source, "student")
    assignment = data.get("assignment")
    if not (by_seed and assignment is None):
        assignment = _name(assignment, source, "assignment")
    seed, answers, task = data.get("seed"), data.get("answers"), data.get("task", "descent")
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < SEED_LIMIT:
        raise HandInError(f"{source}: corrupt: the seed is not a whole number below 2^53")
    if not isinstance(answers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in answers.items()
    ):
        raise HandInError(f"{source}: corrupt: answers must map each quantity to the text typed")
    if not isinstance(task, str) or task not in TASKS:
        raise HandInError(f"{source}: corrupt: the task is not one of {', '.join(TASKS)}")
    if student is not None and seed != seed_of(student, str(assignment)):
        raise HandInError(f"{source}: forged: seed {seed} is not {student!r}'s for {assignment!r}")
    return HandIn(
        student,
        None if assignment is None else str(assignment),
        seed,
        dict(answers),
        _counts(data.get("tries"), source, "tries"),
        _counts(data.get("hints"), source, "hints"),
        _seconds(data.get("seconds"), source),
        task,
    )


def _name(value: object, source: str, what: str) -> str:
    """A student's or assignment's name from a hand-in, stripped; HandInError when absent."""
    if not isinstance(value, str) or not value.strip():
        raise HandInError(f"{source}: corrupt: no {what} name")
    return value.strip()


def _counts(value: object, source: str, what: str) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value.values()
    ):
        raise HandInError(f"{source}: corrupt: {what} must map each quantity to a count")
    return {str(k): int(n) for k, n in value.items()}


def _seconds(value: object, source: str) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise HandInError(f"{source}: corrupt: seconds must be a number >= 0")
    return float(value)


def read_hand_in(path: Path) -> HandIn:
    """The hand-in in the file at ``path``; HandInError names the file."""
    try:
        with Path(path).open("rb") as file:
            data = file.read(MAX_HANDIN_BYTES + 1)
    except OSError as error:
        raise HandInError(f"{path}: cannot read: {error.strerror}") from None
    if len(data) > MAX_HANDIN_BYTES:
        raise HandInError(f"{path}: corrupt: larger than a hand-in can be")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HandInError(f"{path}: corrupt: not UTF-8 text") from None
    return parse_hand_in(text, str(path))


@dataclass(frozen=True)
class Graded:
    """One hand-in regraded: each asked quantity's verdict (a missing answer is "empty")."""

    hand_in: HandIn
    verdicts: dict[str, Verdict]

    @property
    def right(self) -> int:
        return sum(verdict.right for verdict in self.verdicts.values())

    def stuck(self) -> list[str]:
        """The questions not right after ``TRIES`` tries or a hint: where the student is stuck."""
        tries, hints = self.hand_in.tries, self.hand_in.hints
        return [
            quantity
            for quantity, verdict in self.verdicts.items()
            if not verdict.right and (tries.get(quantity, 0) >= TRIES or hints.get(quantity, 0))
        ]


def grade_hand_in(hand_in: HandIn) -> Graded:
    """Regrade ``hand_in`` from its seed (``Variant.mark``); claimed verdicts are not read."""
    return Graded(hand_in, hand_in.variant().mark(hand_in.answers))


def grade_files(
    paths: Iterable[Path], assignment: str | None = None
) -> tuple[list[Graded], list[str]]:
    """Regrade the hand-ins in ``paths`` (see ``grade_all``)."""
    return grade_all(((str(path), partial(read_hand_in, path)) for path in paths), assignment)


def grade_texts(
    texts: Iterable[tuple[str, str]], assignment: str | None = None
) -> tuple[list[Graded], list[str]]:
    """Regrade hand-ins given as (file name, text) pairs, as a page reads them (``grade_all``)."""
    return grade_all(
        ((name, partial(parse_hand_in, text, name)) for name, text in texts), assignment
    )


def grade_all(
    sources: Iterable[tuple[str, Callable[[], HandIn]]], assignment: str | None = None
) -> tuple[list[Graded], list[str]]:
    """Regrade each (name, reader) hand-in: the graded ones, and one line for each refused
    (corrupt, forged, for another assignment than ``assignment`` or the first one's, or
    a second hand-in of the same student, or of the same seed by seed alone)."""
    graded: list[Graded] = []
    refused: list[str] = []
    seen: dict[str, str] = {}  # the student (casefolded) or "seed N" -> the file
    for name, read in sources:
        try:
            hand_in = read()
            if assignment is None:
                assignment = hand_in.assignment
            if hand_in.assignment != assignment:
                raise HandInError(
                    f"{name}: for assignment {hand_in.assignment!r}, not {assignment!r}"
                )
            if hand_in.who.casefold() in seen:
                first = seen[hand_in.who.casefold()]
                raise HandInError(f"{name}: {hand_in.who!r} already handed in {first}")
        except HandInError as error:
            refused.append(str(error))
            continue
        seen[hand_in.who.casefold()] = name
        graded.append(grade_hand_in(hand_in))
    return graded, refused


def question_counts(graded: Sequence[Graded]) -> dict[str, Counter[str]]:
    """For each quantity, how many hand-ins got it right, wrong, empty or invalid."""
    counts: dict[str, Counter[str]] = {}
    for one in graded:
        for quantity, verdict in one.verdicts.items():
            counts.setdefault(quantity, Counter())[verdict.status] += 1
    return counts


@dataclass(frozen=True)
class CommonMistake:
    """A wrong answer many made: ``count`` hand-ins, for ``quantity``, the catalogued
    ``mistake`` (``chainrule.mistakes`` name, None when it matches none) and a ``number``
    typed (with variants, each student types their own number for the same mistake)."""

    quantity: str
    mistake: str | None
    number: str
    count: int

    def line(self, total: int) -> str:
        """One line: "3/30 typed 0.45 for new w2", or with a mistake "11/30 for ∂E/∂a2:
        the sign of (T − a2) (e.g. -0.465)"."""
        if self.mistake is None:
            return f"{self.count}/{total} typed {self.number} for {self.quantity}"
        title = BY_NAME[self.mistake].title
        return f"{self.count}/{total} for {self.quantity}: {title} (e.g. {self.number})"


def common_mistakes(graded: Sequence[Graded], top: int = 10) -> list[CommonMistake]:
    """The wrong answers given most often, most frequent first: grouped by quantity and
    catalogued mistake, or by quantity and number (to 3 figures) when no mistake matches."""
    groups: dict[tuple[str, str | None, str], list[str]] = {}
    for one in graded:
        for quantity, verdict in one.verdicts.items():
            if verdict.status != "wrong" or verdict.answer is None:
                continue
            number = shown_value(verdict.answer, SIGNIFICANT_FIGURES)
            group = (quantity, verdict.mistake, "" if verdict.mistake else number)
            groups.setdefault(group, []).append(number)
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))[:top]
    return [
        CommonMistake(quantity, mistake, numbers[0], len(numbers))
        for (quantity, mistake, _), numbers in ranked
    ]


def marks_csv(graded: Sequence[Graded]) -> str:
    """The marks as CSV: one row per hand-in, its mark and each question's verdict."""
    quantities = list(dict.fromkeys(q for one in graded for q in one.verdicts))
    rows = [["student", "assignment", "seed", "right", "asked", "seconds", "stuck", *quantities]]
    for one in graded:
        h = one.hand_in
        verdicts = [one.verdicts[q].status if q in one.verdicts else "" for q in quantities]
        rows.append(
            [
                h.who,
                h.assignment or "",
                str(h.seed),
                str(one.right),
                str(len(one.verdicts)),
                f"{h.seconds:g}",
                "; ".join(one.stuck()),
                *verdicts,
            ]
        )
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def class_report(graded: Sequence[Graded]) -> str:
    """The marks, each question's counts and the common wrong numbers, as text tables."""
    marks = [
        [one.hand_in.who, f"{one.right}/{len(one.verdicts)}", _duration(one.hand_in.seconds)]
        for one in graded
    ]
    counts = [
        [quantity, *(str(c[status]) for status in ("right", "wrong", "empty", "invalid"))]
        for quantity, c in question_counts(graded).items()
    ]
    wrong = [common.line(len(graded)) for common in common_mistakes(graded)]
    return "\n\n".join(
        [
            text_table(["student", "mark", "time"], marks, numeric_columns={1, 2}),
            text_table(
                ["question", "right", "wrong", "empty", "invalid"],
                counts,
                numeric_columns={1, 2, 3, 4},
            ),
            "Most common wrong answers:\n" + ("\n".join(wrong) or "none"),
        ]
    )


def _duration(seconds: float) -> str:
    if not seconds:
        return ""
    return f"{seconds:.0f} s" if seconds < 60 else f"{seconds / 60:.0f} min"
