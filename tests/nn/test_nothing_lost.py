"""Nothing a user saved is lost, nothing non-finite is saved, no crafted file hangs load().

Issue 11, items 1, 3, 7 and 11: SGD refuses a non-finite update before changing
anything; save() refuses a non-finite model before touching the file, keeps the
file's mode, syncs the file and its folder, and removes what killed saves left;
load() turns every problem, however crafted, into a ModelFileError, quickly.
"""

from __future__ import annotations

import json
import math
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import Value
from nn import MLP, SGD, ModelFileError, load, save

REPO = Path(__file__).resolve().parents[2]


def temporaries(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


# -- SGD: a non-finite update changes nothing ------------------------------------
@pytest.mark.parametrize(
    ("lr", "grads", "bad"),
    [
        (1e300, [1.0, 1e10, -2.0], 1),  # lr * grad overflows
        (0.1, [1.0, 2.0, math.inf], 2),  # an infinite gradient
        (0.1, [math.nan, 2.0, 3.0], 0),
    ],
)
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_a_non_finite_update_raises_naming_the_parameter_and_changes_nothing(
    lr, grads, bad, momentum
):
    params = [Value(0.5, label="w1"), Value(-0.25, label="w2"), Value(2.0, label="b")]
    opt = SGD(params, lr=0.1, momentum=momentum)
    for p in params:
        p.grad = 1.0
    opt.step()  # a first, good step: velocities are now nonzero
    before = ([p.data for p in params], list(opt._velocities))
    opt.lr = lr
    for p, grad in zip(params, grads):
        p.grad = grad
    with pytest.raises(OverflowError, match=r"^SGD\.step: the update would make parameter") as e:
        opt.step()
    assert f"parameter {bad} ({params[bad].label})" in str(e.value)
    assert "no parameter was changed" in str(e.value)
    assert ([p.data for p in params], list(opt._velocities)) == before


@given(
    st.lists(
        st.tuples(st.floats(-1e300, 1e300), st.floats(allow_nan=True, allow_infinity=True)),
        min_size=1,
        max_size=5,
    ),
    st.floats(1e-10, 1e300),
)
def test_sgd_applies_every_finite_update_exactly_or_none(pairs, lr):
    params = [Value(data) for data, _ in pairs]
    for p, (_, grad) in zip(params, pairs):
        p.grad = grad
    expected = [data - lr * grad for data, grad in pairs]  # the plain-float update
    if all(math.isfinite(x) for x in expected):
        SGD(params, lr=lr).step()
        assert [p.data for p in params] == expected
    else:
        with pytest.raises(OverflowError, match="no parameter was changed"):
            SGD(params, lr=lr).step()
        assert [p.data for p in params] == [data for data, _ in pairs]


def test_a_sum_of_updates_that_overflows_is_not_an_error():
    params = [Value(1.7e308), Value(1.7e308)]
    SGD(params, lr=1e-300).step()  # grads 0: the updates are finite, only their sum is not
    assert [p.data for p in params] == [1.7e308, 1.7e308]


# -- save: refuse, keep the mode, sync, clean up ------------------------------------
def small_model(seed: int = 0) -> MLP:
    return MLP(2, [3, 1], seed=seed)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_save_refuses_a_non_finite_model_before_touching_the_file(tmp_path, bad):
    path = save(small_model(), tmp_path / "model.json")
    before, modified = path.read_bytes(), path.stat().st_mtime_ns
    model = small_model(1)
    model.parameters()[4].data = bad
    name = model.named_parameters()[4][0]
    with pytest.raises(ValueError, match=rf"^save: parameter {name} is -?(inf|nan), not a finite"):
        save(model, path)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == modified
    assert os.listdir(tmp_path) == ["model.json"]
    with pytest.raises(ValueError, match="not a finite"):
        save(model, tmp_path / "new.json")
    assert os.listdir(tmp_path) == ["model.json"]  # not even an empty file


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o664])
def test_save_keeps_the_mode_of_the_file_it_replaces(tmp_path, mode):
    path = tmp_path / "model.json"
    path.write_text("old")
    path.chmod(mode)
    save(small_model(), path)
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path):
    old_umask = os.umask(0o022)
    try:
        save(small_model(), tmp_path / "a.json")
        os.umask(0o027)
        save(small_model(), tmp_path / "b.json")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.json").stat().st_mode) == 0o640


def test_save_syncs_the_file_and_its_folder(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        synced.append(os.fstat(fd).st_ino)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    path = save(small_model(), tmp_path / "model.json")
    # the written file (renamed into place: same inode), then the folder that holds the rename
    assert synced == [path.stat().st_ino, tmp_path.stat().st_ino]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_save_removes_the_temporary_files_of_dead_saves_only(tmp_path):
    path = tmp_path / "model.json"
    dead = dead_pid()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        abandoned = [f".model.json.{dead}.0123456789ab.tmp", f".model.json.{dead}.ffff.tmp"]
        kept = [
            f".model.json.{sleeper.pid}.0123456789ab.tmp",  # a save running now
            f".model.json.{os.getpid()}.0123456789ab.tmp",  # another thread of this process
            f".other.json.{dead}.0123456789ab.tmp",  # another file's
            ".model.json.abc.tmp",  # not the pattern save writes
            ".model.json.k3j_9x2q.tmp",  # an earlier version's, less than an hour old
            "model.json.bak",
        ]
        abandoned.append(".model.json.a1b2c3d4.tmp")  # an earlier version's, two hours old
        for name in abandoned + kept:
            (tmp_path / name).write_text("partial")
        two_hours_ago = time.time() - 7200
        os.utime(tmp_path / ".model.json.a1b2c3d4.tmp", (two_hours_ago, two_hours_ago))
        save(small_model(), path)
        assert sorted(os.listdir(tmp_path)) == sorted([*kept, "model.json"])
    finally:
        sleeper.kill()
        sleeper.wait()


CHILD = """
import sys
from nn import MLP, save
models = [MLP(4, [24, 24, 1], seed=seed) for seed in (1, 2)]
print("ready", flush=True)
i = 0
while True:
    save(models[i % 2], sys.argv[1])
    i += 1
"""


def test_saves_killed_at_random_points_leave_the_old_or_new_model_and_no_litter(tmp_path):
    path = tmp_path / "model.json"
    expected = {
        seed: [p.data for p in MLP(4, [24, 24, 1], seed=seed).parameters()] for seed in (1, 2)
    }
    save(MLP(4, [24, 24, 1], seed=1), path)
    rng = random.Random(11)
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    for _ in range(12):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, env=environment
        )
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        loaded = [p.data for p in load(path).parameters()]
        assert loaded in (expected[1], expected[2])
        assert len(temporaries(tmp_path)) <= 1  # the killed save's own, if any; older ones gone
    save(MLP(4, [24, 24, 1], seed=2), path)
    assert temporaries(tmp_path) == []


# -- load: crafted files ----------------------------------------------------------------
def _valid_text() -> str:
    document = {
        "format": "chainrule.mlp",
        "version": 1,
        "architecture": small_model().config,
        "parameters": {name: p.data for name, p in small_model().named_parameters()},
    }
    return json.dumps(document, indent=2)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a": ' * 50_000 + "1" + "}" * 50_000,
        '{"format": "chainrule.mlp", "version": ' + "[" * 900 + "]" * 900 + "}",
        '{"format": ' + "[" * 500 + '"x"' + "]" * 500 + "}",
    ],
    ids=["lists", "objects", "version", "format"],
)
def test_deeply_nested_json_is_a_model_file_error(tmp_path, text):
    path = tmp_path / "model.json"
    path.write_text(text)
    with pytest.raises(ModelFileError, match="nested") as error:
        load(path)
    assert error.value.path == path and str(path) in str(error.value)


def test_nesting_inside_a_valid_document_is_refused_before_use(tmp_path):
    document = json.loads(_valid_text())
    document["architecture"]["layer_sizes"] = [[[[[3]]]], 1]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ModelFileError, match="nested more than 3 levels deep"):
        load(path)


def test_huge_declared_sizes_are_refused_before_building(tmp_path):
    document = json.loads(_valid_text())
    document["architecture"].update(n_inputs=200_000, layer_sizes=[200_000, 200_000])
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document))
    started = time.perf_counter()
    with pytest.raises(ModelFileError, match=r"it has 80000400000 parameters, the file 13"):
        load(path)
    assert time.perf_counter() - started < 2.0  # (200_001 * 200_000) * 2 parameters, none built


@pytest.mark.parametrize("digits", [400, 5000])
def test_a_parameter_with_too_many_digits_is_a_model_file_error(tmp_path, digits):
    text = _valid_text()
    name = small_model().named_parameters()[0][0]
    start = text.index(f'"{name}": ') + len(f'"{name}": ')
    end = text.index(",", start)
    path = tmp_path / "model.json"
    path.write_text(text[:start] + "9" * digits + text[end:])
    with pytest.raises(ModelFileError) as error:
        load(path)
    assert str(path) in str(error.value)
    assert len(str(error.value)) < 250 + len(str(path))
    # Both name the field, and say what is there without repeating it.
    assert f"parameter {name} is an int of {digits} digits, not a finite number" in str(error.value)


def load_or_model_file_error(path: Path) -> None:
    started = time.perf_counter()
    try:
        model = load(path)
    except ModelFileError as error:
        assert error.path == path
    else:
        assert isinstance(model, MLP)
        assert all(math.isfinite(p.data) for p in model.parameters())
    assert time.perf_counter() - started < 2.0


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=2000))
def test_load_of_random_bytes_is_a_model_or_a_model_file_error(tmp_path, data):
    path = tmp_path / "model.json"
    path.write_bytes(data)
    load_or_model_file_error(path)


edits = st.lists(
    st.tuples(
        st.sampled_from(["flip", "delete", "insert", "truncate"]),
        st.integers(0, 10**6),
        st.sampled_from(list(b'[]{}":,0123456789.e-+ \\ntruefalsnNaIfiy\x00\xff')),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits)
def test_load_of_a_mutated_valid_file_is_a_model_or_a_model_file_error(tmp_path, changes):
    data = bytearray(_valid_text().encode())
    for kind, where, byte in changes:
        at = where % (len(data) + 1)
        if kind == "flip" and at < len(data):
            data[at] = byte
        elif kind == "delete":
            del data[at : at + 1 + byte % 8]
        elif kind == "insert":
            data[at:at] = bytes([byte]) * (1 + byte % 5)
        else:
            del data[at:]
    path = tmp_path / "model.json"
    path.write_bytes(bytes(data))
    load_or_model_file_error(path)
