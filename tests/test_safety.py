"""Data integrity and safe loading: caches, atomic writes, models, arrays, archives, runner.

Each test fails if the protection it names is removed: a cache that is trusted although
stale or corrupt, a file written in place, a model or array loaded with code execution
allowed, a runner that injects parameters it was not meant to.
"""

from __future__ import annotations

import hashlib
import io
import json
import signal
import subprocess
import sys
import tarfile
import textwrap

import keras
import numpy as np
import pytest

from rnn_tutorial import text
from rnn_tutorial.book import cli, runner
from rnn_tutorial.archive import rebuild_from_archive
from rnn_tutorial.data import DataIntegrityError
from rnn_tutorial.safety import UnsafeFileError, load_arrays, load_model

# --------------------------------------------------------------------------- encoded-array cache


class _FakeSplit:
    texts = ["good movie", "bad bad", "", "a good, good movie"]
    labels = np.array([1, 0, 1, 1], np.int8)
    ratings = np.array([9, 2, 8, 10], np.int8)


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    """An empty cache folder, with ``load_imdb`` counted and the data checksum fixed."""
    calls = []

    def fake_load(split):
        calls.append(split)
        return _FakeSplit()

    monkeypatch.setattr("rnn_tutorial.data.load_imdb", fake_load)
    monkeypatch.setattr(text, "_data_checksum", lambda split: "0" * 64)
    vectorizer = text.fit_vectorizer(["good movie", "bad movie"], max_tokens=10)
    first = text.encoded_imdb("train", vectorizer, cache=tmp_path)
    (path,) = tmp_path.glob("imdb-train-*.npz")
    assert calls == ["train"]
    return {"dir": tmp_path, "path": path, "calls": calls, "vectorizer": vectorizer, "first": first}


def _same(a, b) -> bool:
    return [s.tolist() for s in a.sequences] == [s.tolist() for s in b.sequences] and np.array_equal(a.labels, b.labels)


def _reload(cache):
    return text.encoded_imdb("train", cache["vectorizer"], cache=cache["dir"])


def test_cache_carries_the_hash_of_what_produced_it(cache):
    with np.load(cache["path"], allow_pickle=False) as stored:
        key = str(stored["key"])
    assert cache["path"].name == f"imdb-train-{key}.npz"
    assert _same(_reload(cache), cache["first"]) and cache["calls"] == ["train"]  # valid: read, not rebuilt


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_truncated_or_corrupt_cache_is_rebuilt_not_trusted(cache, damage):
    raw = cache["path"].read_bytes()
    cache["path"].write_bytes({"truncate": raw[: len(raw) // 2], "garbage": b"PK\x03\x04" + b"\x00" * 200, "empty": b""}[damage])
    again = _reload(cache)
    assert cache["calls"] == ["train", "train"]
    assert _same(again, cache["first"])
    with np.load(cache["path"], allow_pickle=False) as stored:  # and the rebuilt file is whole again
        assert len(stored["offsets"]) == len(_FakeSplit.texts) + 1


def _rewrite(path, **changes):
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    arrays.update(changes)
    np.savez(path, **arrays)


def test_stale_cache_from_another_vocabulary_is_rebuilt(cache):
    """A file under the current name whose stored key is another vocabulary's is not used."""
    other = text.fit_vectorizer(["another vocabulary entirely"], max_tokens=10)
    assert text.vocabulary_hash(other) != text.vocabulary_hash(cache["vectorizer"])
    stale = text.encoded_imdb("train", other, cache=cache["dir"])
    stale_path = next(p for p in cache["dir"].glob("imdb-train-*.npz") if p != cache["path"])
    cache["path"].write_bytes(stale_path.read_bytes())  # e.g. copied over by hand
    calls_before = len(cache["calls"])
    again = _reload(cache)
    assert len(cache["calls"]) == calls_before + 1, "a stale cache was trusted"
    assert _same(again, cache["first"]) and not _same(again, stale)


def test_inconsistent_cache_is_rebuilt(cache):
    _rewrite(cache["path"], offsets=np.array([0, 5, 3, 9, 2], np.int64))
    assert _same(_reload(cache), cache["first"])
    assert cache["calls"] == ["train", "train"]


def test_cache_holding_an_object_array_is_refused_and_rebuilt(cache):
    """An object array is a pickle: it is never unpickled, and the cache is rebuilt."""
    with np.load(cache["path"], allow_pickle=False) as stored:
        key = stored["key"]
    marker = cache["dir"] / "pickle-ran"
    evil = np.empty(1, dtype=object)
    evil[0] = _Boom(str(marker))
    np.savez(cache["path"], tokens=evil, offsets=np.array([0, 1]), labels=np.array([1]), ratings=np.array([1]), key=key)
    again = _reload(cache)
    assert not marker.exists(), "the pickled object ran code while the cache was read"
    assert cache["calls"] == ["train", "train"] and _same(again, cache["first"])


class _Boom:
    """Unpickling this object writes a marker file: proof that a pickle was loaded."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_vocabulary_cache_is_rebuilt_when_corrupt_or_stale(tmp_path, monkeypatch):
    calls = []

    class Train:
        texts = ["good movie", "bad movie", "good plot"]

    monkeypatch.setattr("rnn_tutorial.data.load_imdb", lambda split: calls.append(split) or Train())
    monkeypatch.setattr(text, "_data_checksum", lambda split: "1" * 64)
    first = text.vocabulary(text.training_vectorizer(max_tokens=10, cache=tmp_path))
    (path,) = tmp_path.glob("vocabulary-*.json")
    assert text.vocabulary(text.training_vectorizer(max_tokens=10, cache=tmp_path)) == first
    assert calls == ["train"]
    path.write_text(path.read_text()[:20])  # truncated
    assert text.vocabulary(text.training_vectorizer(max_tokens=10, cache=tmp_path)) == first
    assert calls == ["train", "train"]
    stored = json.loads(path.read_text())
    stored["settings"]["train"] = "2" * 64  # produced from other data
    stored["vocabulary"] = ["wrong", "words"]
    path.write_text(json.dumps(stored))
    assert text.vocabulary(text.training_vectorizer(max_tokens=10, cache=tmp_path)) == first
    assert calls == ["train", "train", "train"]


# --------------------------------------------------------------------------- atomic writes


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from rnn_tutorial.files import atomic_write
    with atomic_write(sys.argv[1]) as handle:
        handle.write(b"half of the new content")
        handle.flush()
        print("writing", flush=True)
        time.sleep(60)
        handle.write(b" and the rest")
    """
)


@pytest.mark.parametrize("existing", [None, b"old complete content"])
def test_killed_writer_never_leaves_a_half_written_file(tmp_path, existing):
    target = tmp_path / "cache.npz"
    if existing is not None:
        target.write_bytes(existing)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    if existing is None:
        assert not target.exists(), "a killed writer left a half-written file under the real name"
    else:
        assert target.read_bytes() == existing
    strays = list(tmp_path.glob(".cache.npz.*.tmp"))
    assert len(strays) == 1  # what is left is a temporary name that nothing reads
    assert list(tmp_path.glob("imdb-*.npz")) == []


def test_package_writers_go_through_atomic_write():
    """Every module that writes files uses the atomic helpers, never a bare ``open(..., "w")``.

    The writing helpers themselves (``files.py``) are the exception, and the archive
    download in ``archive.py``, which lands in a ``TemporaryDirectory`` and is read only
    once complete.
    """
    import re
    from pathlib import Path

    import rnn_tutorial

    writes = re.compile(r"open\([^)]*['\"][wax]b?\+?['\"]|\.write_(text|bytes)\(|np\.save(z|z_compressed)?\((?!handle)|savefig\((?!handle)")
    offenders = []
    for path in sorted(Path(rnn_tutorial.__file__).parent.glob("*.py")):
        if path.name == "files.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if writes.search(line) and not (path.name == "archive.py" and "urlopen" in line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert not offenders, "files written without atomic_write:\n" + "\n".join(offenders)


# --------------------------------------------------------------------------- safe loading


def _tiny_model(with_lambda: bool) -> keras.Model:
    layers = [keras.Input((3,))]
    if with_lambda:
        layers.append(keras.layers.Lambda(lambda x: x * 2.0))
    layers.append(keras.layers.Dense(1))
    return keras.Sequential(layers)


def test_load_model_roundtrip(tmp_path):
    model = _tiny_model(False)
    path = tmp_path / "ok.keras"
    model.save(path)
    x = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(load_model(path).predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_model_with_a_lambda_layer_is_refused(tmp_path):
    path = tmp_path / "lambda.keras"
    _tiny_model(True).save(path)
    with pytest.raises(UnsafeFileError, match="refusing to load .*Lambda"):
        load_model(path)
    # the refusal is the loader's doing: an unsafe load of the same file would succeed
    assert keras.saving.load_model(path, safe_mode=False) is not None


def test_load_model_refuses_other_formats_and_broken_files(tmp_path):
    with pytest.raises(TypeError, match="path must be a path .* got int 3"):
        load_model(3)
    with pytest.raises(ValueError, match=r"path must name a \.keras file, got '.*model\.h5'"):
        load_model(tmp_path / "model.h5")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_model(tmp_path / "missing.keras")
    path = tmp_path / "ok.keras"
    _tiny_model(False).save(path)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 3])
    with pytest.raises(DataIntegrityError, match="not a valid .keras archive"):
        load_model(path)


def test_load_arrays_refuses_object_arrays_without_unpickling(tmp_path):
    marker = tmp_path / "pickle-ran"
    evil = np.empty(1, dtype=object)
    evil[0] = _Boom(str(marker))
    np.savez(tmp_path / "evil.npz", ok=np.arange(3), evil=evil)
    with pytest.raises(UnsafeFileError, match="object array"):
        load_arrays(tmp_path / "evil.npz")
    np.save(tmp_path / "evil.npy", evil)
    with pytest.raises(UnsafeFileError):
        load_arrays(tmp_path / "evil.npy")
    assert not marker.exists()


def test_load_arrays_reads_plain_arrays_and_reports_damage(tmp_path):
    np.savez(tmp_path / "ok.npz", a=np.arange(4), s=np.array(["x", "y"]))
    arrays = load_arrays(tmp_path / "ok.npz")
    assert arrays["a"].tolist() == [0, 1, 2, 3] and arrays["s"].tolist() == ["x", "y"]
    raw = (tmp_path / "ok.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataIntegrityError, match="cut.npz"):
        load_arrays(tmp_path / "cut.npz")
    with pytest.raises(ValueError, match=r"\.npz or \.npy"):
        load_arrays(tmp_path / "data.pkl")


def test_no_module_loads_with_pickles_or_unsafe_mode():
    """No ``allow_pickle=True``, ``safe_mode=False``, ``pickle`` or ``eval`` in the package."""
    import re
    from pathlib import Path

    import rnn_tutorial

    package = Path(rnn_tutorial.__file__).parent
    pattern = re.compile(r"allow_pickle\s*=\s*True|safe_mode\s*=\s*False|enable_unsafe_deserialization|"
                         r"^\s*import pickle|\beval\(|\bexec\(|extractall\(")
    found = [f"{p.name}: {line.strip()}" for p in sorted(package.glob("*.py"))
             for line in p.read_text(encoding="utf-8").splitlines() if pattern.search(line)]
    assert not found, found


# --------------------------------------------------------------------------- downloaded archives


def test_rebuild_from_archive_never_extracts_or_runs_archive_members(tmp_path):
    """Members outside ``aclImdb/<split>/<kind>/`` (scripts, paths escaping the folder) are ignored."""
    archive = tmp_path / "aclImdb_v1.tar.gz"
    members = {
        "aclImdb/train/pos/0_9.txt": b"great",
        "aclImdb/train/neg/1_2.txt": b"awful",
        "aclImdb/test/pos/0_8.txt": b"fine",
        "aclImdb/test/neg/1_1.txt": b"bad",
        "aclImdb/train/unsup/2_0.txt": b"hmm",
        "../escaped.txt": b"outside",
        "aclImdb/setup.py": b"open('ran', 'w')",
        "aclImdb/train/pos/../../../../escaped2.txt": b"outside",
    }
    with tarfile.open(archive, "w:gz") as tar:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
        link = tarfile.TarInfo("aclImdb/train/pos/3_7.txt")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
    out = tmp_path / "out"
    digests = rebuild_from_archive(archive, out)
    assert sorted(p.name for p in out.iterdir()) == ["SHA256SUMS", "test.jsonl.xz", "train.jsonl.xz", "unsup.jsonl.xz"]
    assert set(digests) == {"test.jsonl.xz", "train.jsonl.xz", "unsup.jsonl.xz"}
    assert not list(tmp_path.rglob("escaped*")) and not (tmp_path / "ran").exists()
    for name, digest in digests.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


# --------------------------------------------------------------------------- runner parameters


def test_runner_injects_only_known_typed_parameters():
    assert runner.notebook_parameters("CI") == {"PROFILE": "ci"}
    with pytest.raises(ValueError, match="unknown notebook parameter 'EPOCHS'; accepted: PROFILE"):
        runner.notebook_parameters("ci", EPOCHS=3)
    with pytest.raises(TypeError, match="notebook parameter PROFILE must be a str, got int 3"):
        runner.notebook_parameters(3)
    with pytest.raises(ValueError, match="unknown profile 'huge'"):
        runner.notebook_parameters("huge")


def test_execute_chapter_validates_before_running(tmp_path, monkeypatch):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "chapters" / "01_a.ipynb").write_text("{}")
    import papermill

    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("papermill must not start"))
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="unknown profile 'nope'"):
        runner.execute_chapter("01_a", "nope", out, root=tmp_path)
    with pytest.raises(ValueError, match="unknown backend 'theano'; valid backends: tensorflow, jax, torch"):
        runner.execute_chapter("01_a", "ci", out, backend="theano", root=tmp_path)
    with pytest.raises(ValueError, match=r"unknown chapter '\.\./01_a'; valid chapters: 01_a"):
        runner.execute_chapter("../01_a", "ci", out, root=tmp_path)
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds, got 0"):
        runner.execute_chapter("01_a", "ci", out, timeout=0, root=tmp_path)


def test_runner_cli_refuses_unknown_options_and_values(capsys):
    with pytest.raises(SystemExit):
        cli.main(["run", "--profile", "ci", "--epochs", "3"])
    with pytest.raises(SystemExit):
        cli.main(["run", "--timeout", "soon"])
    assert cli.main(["run", "--profile", "huge", "--chapters", "01"]) == 2
    assert "unknown profile 'huge'" in capsys.readouterr().err



def test_a_run_killed_mid_chapter_is_not_trusted_by_resume(tmp_path, monkeypatch):
    """papermill writes the executed notebook cell by cell; only the record marks it complete.

    A previous complete run left a notebook and a record. A second run is killed while
    papermill is writing: the record must be gone, so ``--resume`` executes the chapter
    again instead of trusting the half-written notebook.
    """
    import papermill

    (tmp_path / "chapters").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "chapters" / "01_a.ipynb").write_text("{}")
    out = tmp_path / "build" / "executed" / "ci"
    out.mkdir(parents=True)
    (out / "01_a.ipynb").write_text("{}")
    (out / "01_a.record.json").write_text(json.dumps({"chapter": "01_a", "profile": "ci", "metrics": {}}))

    def killed(source, executed, **kwargs):
        with open(executed, "w") as handle:
            handle.write('{"cells": [')  # half-written, as papermill leaves it
        raise KeyboardInterrupt  # stands for the kill: nothing after this line runs

    monkeypatch.setattr(papermill, "execute_notebook", killed)
    with pytest.raises(KeyboardInterrupt):
        runner.run("ci", root=tmp_path, progress=False, record=False)
    assert not (out / "01_a.record.json").exists(), "a record survived beside a half-written notebook"

    calls = []
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: calls.append(a[0]))
    results = runner.run("ci", root=tmp_path, resume=True, progress=False, record=False)
    assert calls and results[0].status == "ok", "resume trusted the half-written notebook"


# --------------------------------------------------------------------------- damaged files


def _npy_bytes(array: np.ndarray, header: "bytes | None" = None) -> bytes:
    """An .npy file of ``array``, its header dict replaced by ``header`` (same length) if given."""
    buffer = io.BytesIO()
    np.save(buffer, array)
    raw = buffer.getvalue()
    if header is None:
        return raw
    length = int.from_bytes(raw[8:10], "little")  # format 1.0: magic, version, 2-byte header length
    assert len(header) < length
    return raw[:10] + header.ljust(length - 1) + b"\n" + raw[10 + length:]


BAD_HEADERS = {
    "unterminated": b"{'descr': (((",                                                   # tokenize.TokenError
    "not a literal": b"{'descr': '<i4', 'fortran_order': False, 'shape': (5,), 'x': }",  # SyntaxError -> ValueError
    "binary junk": b"{'descr': '\x00\xff\x13', '",
    "absurd shape": b"{'descr': '<i4', 'fortran_order': False, 'shape': (1000000000000,), }",  # MemoryError
}


def _rewrite_member(path, name, payload):
    """Rewrite one member of an .npz (a zip archive), with a correct CRC."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[name] = payload
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)


@pytest.mark.parametrize("damage", sorted(BAD_HEADERS) + ["not an array"])
def test_cache_with_a_garbled_array_header_is_rebuilt(cache, damage):
    """Whatever NumPy raises on a damaged member (TokenError, MemoryError, ...), the cache is rebuilt."""
    payload = b"just some bytes" if damage == "not an array" else _npy_bytes(np.arange(5, dtype=np.int32), BAD_HEADERS[damage])
    _rewrite_member(cache["path"], "tokens.npy", payload)
    again = _reload(cache)
    assert cache["calls"] == ["train", "train"] and _same(again, cache["first"])
    with np.load(cache["path"], allow_pickle=False) as stored:
        assert stored["tokens"].dtype == np.int32


@pytest.mark.parametrize("damage", sorted(BAD_HEADERS))
def test_load_arrays_reports_a_garbled_header_as_damage(tmp_path, damage):
    bad = _npy_bytes(np.arange(5, dtype=np.int32), BAD_HEADERS[damage])
    (tmp_path / "bad.npy").write_bytes(bad)
    with pytest.raises(DataIntegrityError, match=r"array file .*bad\.npy is (truncated or corrupted|unreadable)"):
        load_arrays(tmp_path / "bad.npy")
    np.savez(tmp_path / "bad.npz", a=np.arange(3))
    _rewrite_member(tmp_path / "bad.npz", "a.npy", bad)
    with pytest.raises(DataIntegrityError, match=r"array file .*bad\.npz"):
        load_arrays(tmp_path / "bad.npz")


@pytest.mark.parametrize("name, content", [
    ("notes.npy", b"hello, this is a text file"),
    ("notes.npz", b"hello, this is a text file"),
    ("empty.npy", b""),
    ("zip.npy", b"PK\x05\x06" + b"\x00" * 18),  # an (empty) zip archive named .npy
])
def test_load_arrays_says_when_a_file_is_not_numpy_at_all(tmp_path, name, content):
    """Not a pickle refusal (UnsafeFileError): the file is simply not a NumPy file."""
    (tmp_path / name).write_bytes(content)
    with pytest.raises(DataIntegrityError, match=rf"array file .*{name} is not a NumPy \.npy/\.npz file"):
        load_arrays(tmp_path / name)


def test_load_arrays_refuses_archive_members_that_are_not_arrays(tmp_path):
    np.savez(tmp_path / "mixed.npz", a=np.arange(3))
    _rewrite_member(tmp_path / "mixed.npz", "a.npy", b"raw bytes, no .npy header")
    with pytest.raises(DataIntegrityError, match=r"mixed\.npz holds member\(s\) 'a' that are not NumPy arrays"):
        load_arrays(tmp_path / "mixed.npz")


def _keras_members(path) -> dict:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write_keras(path, members: dict) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.fixture()
def saved_model(tmp_path):
    path = tmp_path / "model.keras"
    _tiny_model(False).save(path)
    return path


def test_load_model_reports_a_crc_corrupt_archive(saved_model):
    import zipfile

    with zipfile.ZipFile(saved_model) as archive:
        info = archive.getinfo("model.weights.h5")
    raw = bytearray(saved_model.read_bytes())
    name_and_extra = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little") + \
        int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_and_extra  # the member's data
    raw[start + info.compress_size // 2] ^= 0xFF
    saved_model.write_bytes(bytes(raw))
    assert zipfile.is_zipfile(saved_model)  # the directory is intact: only the CRC check sees it
    with pytest.raises(DataIntegrityError, match=r"model\.keras is corrupted: archive member 'model\.weights\.h5' fails its CRC-32 check"):
        load_model(saved_model)


@pytest.mark.parametrize("change, match", [
    ({"model.weights.h5": None}, r"has no weights file \(model\.weights\.h5 or model\.weights\.npz"),
    ({"config.json": None}, r"has no config\.json"),
    ({"config.json": b"{not json"}, r"has a config\.json that is not valid JSON"),
    ({"config.json": b"\xff\xfe"}, r"has a config\.json that is not valid JSON"),
    ({"config.json": b"[1, 2]"}, r"config\.json that does not describe a model .*got list"),
    ({"config.json": b'{"module": "keras"}'}, r"config\.json that does not describe a model .*'class_name' and 'config'"),
])
def test_load_model_reports_an_incomplete_or_garbled_archive(saved_model, change, match):
    members = _keras_members(saved_model)
    for name, data in change.items():
        if data is None:
            members.pop(name)
        else:
            members[name] = data
    _write_keras(saved_model, members)
    with pytest.raises(DataIntegrityError, match=match) as err:
        load_model(saved_model)
    assert str(saved_model) in str(err.value) and "save the model again" in str(err.value)
