"""Writing a user's file so that nothing is lost: the whole new file or the old one, never half.

``write_atomically(path, data)`` writes ``data`` to ``.<name>.<pid>.<random>.tmp``
beside ``path``, syncs it to disk, gives it the mode of the file it replaces (a
new file gets the usual mode for the umask), moves it into place with
``os.replace`` and syncs the folder, so ``path`` holds the old file or the whole
new one even after a crash or a kill. Temporary files that writes of ``path``
killed midway left behind (their process is gone) are removed first. Every file
chainrule writes for a user -- models, pictures, pages, GIFs -- goes through it.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from autograd import checks

# Earlier chainrule versions named their temporary files as tempfile.mkstemp does,
# without a pid: one of those is abandoned once it is older than any write can take.
UNNAMED_TEMPORARY = re.compile(r"[a-z0-9_]{8}")
# What write_atomically names its own: ``<pid>.<hex digits>`` (ASCII digits only: "²" is
# a digit to str.isdigit, not to int()).
OWN_TEMPORARY = re.compile(r"([0-9]{1,10})\.[0-9a-f]{1,32}")
STALE_AFTER = 3600.0  # seconds
MAX_INT_DIGITS = 309  # the digits of the largest float; a longer int is a HugeInt


def write_atomically(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace ``path`` with ``data`` atomically (see the module docstring); returns the path."""
    path = Path(path)
    remove_abandoned_temporaries(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.fchmod(handle, stat.S_IMODE(os.stat(path).st_mode))
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)
    return path


def remove_abandoned_temporaries(path: Path) -> None:
    """Delete ``.<name>.<pid>.<random>.tmp`` files beside ``path`` whose process is gone.

    Only a write killed midway leaves one (any other failure removes its own); a
    live process's file -- another write running now -- is left alone. A
    ``.<name>.<8 characters>.tmp`` of an earlier version goes once an hour old.
    Only regular files named exactly so are touched (a folder or a stray
    ``.m.json.².abc.tmp`` is not ours), and nothing here ever fails the write:
    a file that cannot be inspected or removed is left where it is.
    """
    prefix = f".{path.name}."
    with contextlib.suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
                continue
            with contextlib.suppress(OSError):
                if _abandoned(entry.name[len(prefix) : -len(".tmp")], entry):
                    os.unlink(entry.path)


def _abandoned(middle: str, entry: os.DirEntry[str]) -> bool:
    """Whether the temporary file ``entry`` (``middle`` between name and .tmp) is one of ours
    that no running write will finish: its process is gone, or it is an old unnamed one."""
    if not entry.is_file(follow_symlinks=False):
        return False
    own = OWN_TEMPORARY.fullmatch(middle)
    if own:
        return not _process_alive(int(own.group(1)))
    unnamed = UNNAMED_TEMPORARY.fullmatch(middle) is not None
    return unnamed and time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER


@contextlib.contextmanager
def temporary_folder(folder: Path, prefix: str) -> Iterator[Path]:
    """A new folder ``<prefix>.<pid>.<random>.tmp`` inside ``folder``, removed with all it holds
    on leaving, however that happens. The folders of that name whose process is gone (killed
    with -9, where nothing could remove them) are removed first, and so are those an earlier
    version named ``<prefix>-<8 characters>`` (as tempfile does) once an hour old."""
    for entry in folder.iterdir():
        own = re.fullmatch(re.escape(prefix) + r"\.([0-9]{1,10})\.[0-9a-f]{1,32}\.tmp", entry.name)
        unnamed = re.fullmatch(re.escape(prefix) + "-" + UNNAMED_TEMPORARY.pattern, entry.name)
        if not (own or unnamed) or not entry.is_dir() or entry.is_symlink():
            continue
        with contextlib.suppress(OSError):
            old = time.time() - entry.stat().st_mtime > STALE_AFTER
            if (own and not _process_alive(int(own[1]))) or (unnamed and old):
                shutil.rmtree(entry, ignore_errors=True)
    made = folder / f"{prefix}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
    made.mkdir()
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's process, or no pid: leave it
        return True
    return True


def _sync_folder(folder: Path) -> None:
    """fsync ``folder``, so that the rename into it survives a power cut."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # a folder that cannot be opened (Windows): the rename stays in the cache
        return
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


class HugeInt(float):
    """An int in a JSON file with more digits than a float holds: infinite as a number (so a
    finiteness check refuses it, naming its field), shown as how many digits it has."""

    digits: int

    def __new__(cls, digits: int) -> HugeInt:
        huge = super().__new__(cls, math.inf)
        huge.digits = digits
        return huge

    def __repr__(self) -> str:
        return f"an int of {self.digits} digits"


def read_json(path: str | os.PathLike[str], max_bytes: int) -> object:
    """The JSON document in ``path``, read without ever reading more than ``max_bytes``.

    Anything a user's file gets wrong is a ValueError with a one-line reason (no
    path: the caller names the file): more than ``max_bytes`` (``/dev/zero``), not
    UTF-8, not JSON, a key given twice in one object, nesting deeper than
    Python's parser goes. NaN, Infinity and an int too long for a float (a
    ``HugeInt``, inf) are read as floats, for the caller's finiteness check to
    refuse by field.
    OSError (no such file, a folder) is raised as is.
    """
    with open(path, "rb") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"larger than {max_bytes} bytes, too large for this kind of file")
    try:
        return json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_object_without_repeats,
            parse_constant=_constant,
            parse_int=_int_or_huge,
        )
    except UnicodeDecodeError:
        raise ValueError("not a text file (not UTF-8)") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error}") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _object_without_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {checks.shown(key)} is given twice in one object")
        found[key] = value
    return found


def _constant(name: str) -> float:
    """NaN, Infinity, -Infinity as floats: not JSON, but Python writes them; the caller's
    finiteness check refuses them by field."""
    return float(name)


def _int_or_huge(text: str) -> int | float:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= MAX_INT_DIGITS else HugeInt(digits)
