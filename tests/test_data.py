import json
import lzma
import shutil

import numpy as np
import pytest
from rnn_tutorial import data
from rnn_tutorial.data import (
    DataIntegrityError,
    data_dir,
    load_imdb,
    read_checksums,
)


@pytest.fixture(scope="module")
def train():
    return load_imdb("train")


def test_train_split_is_balanced_and_complete(train):
    assert len(train) == 25000
    assert train.labels.sum() == 12500
    assert set(np.unique(train.ratings)) <= set(range(1, 11))
    assert (train.ratings[train.labels == 1] >= 7).all() and (train.ratings[train.labels == 0] <= 4).all()
    assert "<br />" in "".join(train.texts[:200])


def test_unknown_split_is_refused():
    with pytest.raises(ValueError, match="split must be one of train, test, unsup"):
        load_imdb("validation")


@pytest.fixture()
def copy_of_data(tmp_path):
    folder = tmp_path / "aclImdb"
    folder.mkdir()
    source = data_dir()
    shutil.copy(source / "SHA256SUMS", folder)
    shutil.copy(source / "test.jsonl.xz", folder)
    return folder


def test_corrupted_file_names_file_and_checksums(copy_of_data):
    path = copy_of_data / "test.jsonl.xz"
    expected = read_checksums(copy_of_data)["test.jsonl.xz"]
    blob = bytearray(path.read_bytes())
    blob[1000] ^= 0xFF
    path.write_bytes(bytes(blob))
    with pytest.raises(DataIntegrityError) as err:
        load_imdb("test", folder=copy_of_data)
    message = str(err.value)
    assert "test.jsonl.xz" in message and expected in message
    assert "got " in message and "git checkout" in message


def test_truncated_file_is_caught_even_after_a_good_verification(copy_of_data):
    assert len(load_imdb("test", folder=copy_of_data)) == 25000  # verified and stamped
    path = copy_of_data / "test.jsonl.xz"
    path.write_bytes(path.read_bytes()[: 5000])  # size and mtime change: stamp no longer matches
    with pytest.raises(DataIntegrityError, match="corrupted"):
        load_imdb("test", folder=copy_of_data)


def test_missing_file_says_how_to_restore(copy_of_data):
    (copy_of_data / "test.jsonl.xz").unlink()
    with pytest.raises(DataIntegrityError, match="missing.*git checkout"):
        load_imdb("test", folder=copy_of_data)


def test_repeat_verification_skips_hashing(copy_of_data, monkeypatch):
    load_imdb("test", folder=copy_of_data)
    calls = []
    monkeypatch.setattr(data, "sha256_file", lambda p: calls.append(p) or "x")
    data._verified.clear()  # a new process: only the stamp file remains
    load_imdb("test", folder=copy_of_data)
    assert calls == []


# --------------------------------------------------------------------------- synthetic data folders

GOOD = [
    {"id": 0, "rating": 9, "text": "A fine film.", "label": 1},
    {"id": 1, "rating": 8, "text": "Lovely <br />acting.", "label": 1},
    {"id": 0, "rating": 2, "text": "Dull.", "label": 0},
]


def _line(record) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def _make_folder(folder, files):
    """Write ``{name: uncompressed bytes}`` as xz files in ``folder`` with their own SHA256SUMS."""
    import hashlib

    folder.mkdir(parents=True, exist_ok=True)
    sums = []
    for name, payload in sorted(files.items()):
        blob = lzma.compress(payload)
        (folder / name).write_bytes(blob)
        sums.append(f"{hashlib.sha256(blob).hexdigest()}  {name}\n")
    (folder / "SHA256SUMS").write_text("".join(sums))
    return folder


def _train_folder(tmp_path, lines):
    return _make_folder(tmp_path / "imdb", {"train.jsonl.xz": b"".join(lines)})


def test_synthetic_folder_loads(tmp_path):
    split = load_imdb("train", folder=_train_folder(tmp_path, [_line(r) for r in GOOD]))
    assert split.texts == [r["text"] for r in GOOD]
    assert split.labels.tolist() == [1, 1, 0] and split.ids.tolist() == [0, 1, 0] and split.ratings.tolist() == [9, 8, 2]


def _with(**changes):
    record = dict(GOOD[1])
    for key, value in changes.items():
        if value is _DROP:
            record.pop(key)
        else:
            record[key] = value
    return _line(record)


_DROP = object()


@pytest.mark.parametrize("line, match", [
    (_with(label=2), r"field 'label' must be the integer 0 or 1, got 2 \(int\)"),
    (_with(label=-1), r"field 'label' must be the integer 0 or 1, got -1"),
    (_with(label=0.7), r"field 'label' must be the integer 0 or 1, got 0.7 \(float\)"),
    (_with(label=1.0), r"field 'label' must be the integer 0 or 1, got 1.0 \(float\)"),
    (_with(label="1"), r"field 'label' must be the integer 0 or 1, got '1' \(str\)"),
    (_with(label=True), r"field 'label' must be the integer 0 or 1, got True \(bool\)"),
    (_with(label=None), r"field 'label' must be the integer 0 or 1, got None"),
    (_with(label=_DROP), r"field 'label' is missing"),
    (_with(text=_DROP), r"field 'text' is missing"),
    (_with(id=_DROP), r"field 'id' is missing"),
    (_with(text=42), r"field 'text' must be a string, got 42 \(int\)"),
    (_with(rating=11), r"field 'rating' must be an integer from 0 to 10, got 11"),
    (_with(rating="9"), r"field 'rating' must be an integer from 0 to 10, got '9'"),
    (_with(id=-3), r"field 'id' must be an integer from 0 to \d+, got -3"),
    (_with(id=1.5), r"field 'id' must be an integer"),
    (_with(id=0), r"review id 0 with label 1 already appeared on line 1"),
    (b"\n", r"the line is blank"),
    (b"   \n", r"the line is blank"),
    (b'{"id": 1, "rating": 8, "text": "cut in the mid\n', r"not valid JSON"),
    (b"[1, 8, \"text\", 1]\n", r"expected a JSON object"),
    (b'{"id": 1, "rating": 8, "text": "caf\xe9", "label": 1}\n', r"not valid UTF-8 \(byte 0xe9 at column 36\)"),
])
def test_malformed_line_names_file_line_and_field(tmp_path, line, match):
    """A bad line (the checksum matches: SHA256SUMS was made for it) is refused, never misread."""
    folder = _train_folder(tmp_path, [_line(GOOD[0]), line, _line(GOOD[2])])
    with pytest.raises(DataIntegrityError, match=match) as err:
        load_imdb("train", folder=folder)
    assert f"{folder / 'train.jsonl.xz'}, line 2:" in str(err.value)
    assert "git checkout" in str(err.value)


def test_missing_label_is_an_error_not_a_shift_of_later_labels(tmp_path):
    lines = [_line(GOOD[0]), _with(label=_DROP), _line(GOOD[2])]
    with pytest.raises(DataIntegrityError, match=r"line 2: field 'label' is missing"):
        load_imdb("train", folder=_train_folder(tmp_path, lines))


def test_unlabeled_split_needs_no_label(tmp_path):
    lines = [_line({"id": 3, "rating": 0, "text": "no label here"}), _line({"id": 4, "rating": 0, "text": "nor here"})]
    folder = _make_folder(tmp_path / "imdb", {"unsup.jsonl.xz": b"".join(lines)})
    split = load_imdb("unsup", folder=folder)
    assert split.labels is None and split.ids.tolist() == [3, 4]


def test_empty_split_file_is_an_error(tmp_path):
    with pytest.raises(DataIntegrityError, match="holds no reviews"):
        load_imdb("train", folder=_train_folder(tmp_path, []))


# --------------------------------------------------------------------------- the verification stamp

def _stamp(folder):
    return json.loads((folder / ".verified.json").read_text())


def test_stamp_stores_the_checksum_with_size_times_and_inode(tmp_path):
    folder = _train_folder(tmp_path, [_line(r) for r in GOOD])
    load_imdb("train", folder=folder)
    entry = _stamp(folder)["train.jsonl.xz"]
    stat = (folder / "train.jsonl.xz").stat()
    assert entry == {"sha256": read_checksums(folder)["train.jsonl.xz"], "size": stat.st_size,
                     "mtime_ns": stat.st_mtime_ns, "ctime_ns": stat.st_ctime_ns, "ino": stat.st_ino}


def _restore_mtime_until_ctime_moves(path, stat_before):
    """Set the old mtime back; repeat until the ctime differs (it has a coarse clock on some systems)."""
    import os
    import time

    for _ in range(200):
        os.utime(path, ns=(stat_before.st_atime_ns, stat_before.st_mtime_ns))
        if path.stat().st_ctime_ns != stat_before.st_ctime_ns:
            return
        time.sleep(0.01)
    pytest.skip("the file system does not update ctime")


@pytest.mark.parametrize("how", ["in place", "replaced"])
@pytest.mark.parametrize("new_process", [False, True])
def test_same_size_rewrite_with_restored_mtime_is_hashed_again(tmp_path, how, new_process):
    """Size and mtime alone are forgeable (os.utime); ctime and the inode are not."""
    import os

    folder = _train_folder(tmp_path, [_line(r) for r in GOOD])
    path = folder / "train.jsonl.xz"
    load_imdb("train", folder=folder)  # verified and stamped
    before = path.stat()
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0xFF  # same size, other content
    if how == "in place":
        with open(path, "r+b") as handle:
            handle.write(bytes(blob))
    else:
        other = folder / "other.bin"
        other.write_bytes(bytes(blob))
        os.replace(other, path)
    _restore_mtime_until_ctime_moves(path, before)
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    if new_process:
        data._verified.clear()
    with pytest.raises(DataIntegrityError, match="corrupted: expected SHA-256"):
        load_imdb("train", folder=folder)


@pytest.mark.parametrize("stamp", [
    "not json {", "null", "[]", "42", '{"train.jsonl.xz": null}', '{"train.jsonl.xz": [1, 2, 3]}',
    '{"train.jsonl.xz": {"sha256": null}}', "WRONG_SHA", "FLOAT_INO", "STRING_SIZE",
])
def test_broken_stamp_is_ignored_and_the_file_hashed(tmp_path, monkeypatch, stamp):
    folder = _train_folder(tmp_path, [_line(r) for r in GOOD])
    load_imdb("train", folder=folder)
    entry = _stamp(folder)["train.jsonl.xz"]
    if stamp == "WRONG_SHA":
        stamp = json.dumps({"train.jsonl.xz": {**entry, "sha256": "0" * 64}})
    elif stamp == "FLOAT_INO":  # 5.0 == 5 in Python: the check is typed, not ==
        stamp = json.dumps({"train.jsonl.xz": {**entry, "ino": float(entry["ino"])}})
    elif stamp == "STRING_SIZE":
        stamp = json.dumps({"train.jsonl.xz": {**entry, "size": str(entry["size"])}})
    (folder / ".verified.json").write_text(stamp)
    data._verified.clear()
    calls = []
    real = data.sha256_file
    monkeypatch.setattr(data, "sha256_file", lambda p: calls.append(p) or real(p))
    assert len(load_imdb("train", folder=folder)) == 3
    assert len(calls) == 1, "the file was trusted on a broken stamp"
    assert _stamp(folder)["train.jsonl.xz"] == entry  # rewritten whole


# --------------------------------------------------------------------------- movies

MOVIES_HEADER = b"split\tlabel\tid\tmovie\n"


def _movies_folder(tmp_path, rows, reviews=GOOD):
    payload = MOVIES_HEADER + b"".join(r.encode() + b"\n" for r in rows)
    return _make_folder(tmp_path / "imdb", {"train.jsonl.xz": b"".join(_line(r) for r in reviews),
                                            "movies.tsv.xz": payload})


ROWS = ["train\t0\t0\ttt0000003", "train\t1\t1\ttt0000002", "unsup\t\t0\ttt0000009", "train\t1\t0\ttt0000001",
        "test\t1\t0\ttt0000004"]


def test_load_movies_aligns_rows_by_label_and_id_not_order(tmp_path):
    folder = _movies_folder(tmp_path, ROWS)
    movies = data.load_movies("train", folder=folder)
    assert movies.tolist() == ["tt0000001", "tt0000002", "tt0000003"]  # (1, 0), (1, 1), (0, 0)
    reviews = load_imdb("train", folder=folder)
    assert data.load_movies("train", folder=folder, reviews=reviews).tolist() == movies.tolist()


@pytest.mark.parametrize("rows, match", [
    (ROWS[1:], r"has no movie for 1 of the 3 reviews of the train split \(first: review 2, label 0, id 0\)"),
    (ROWS + ["train\t0\t7\ttt0000005"], r"lists 4 reviews for the train split but load_imdb\('train'\) has 3"),
    (ROWS + ["train\t1\t1\ttt0000005"], r"line 7: review id 1 with label 1 of the train split is listed twice"),
    (ROWS[:2] + ["train\t2\t0\ttt0000001"], r"line 4: field 'label' must be 0 or 1 for a train review, got '2'"),
    (ROWS[:2] + ["train\t1\tx1\ttt0000001"], r"line 4: field 'id' must be an integer"),
    (ROWS[:2] + ["train\t1\t0\t0000001"], r"line 4: field 'movie' must be an IMDb title id"),
    (ROWS[:2] + ["train\t1\t0"], r"line 4: expected 4 tab-separated fields"),
    (ROWS[:2] + ["valid\t1\t0\ttt1"], r"line 4: field 'split' must be one of train, test, unsup"),
    (ROWS[:2] + ["unsup\t1\t0\ttt1"], r"line 4: field 'label' must be empty for an unsup review"),
])
def test_load_movies_refuses_misaligned_or_malformed_rows(tmp_path, rows, match):
    with pytest.raises(DataIntegrityError, match=match) as err:
        data.load_movies("train", folder=_movies_folder(tmp_path, rows))
    assert "movies.tsv.xz" in str(err.value)


def test_load_movies_checks_header_checksum_and_arguments(tmp_path):
    folder = _make_folder(tmp_path / "a", {"train.jsonl.xz": b"".join(_line(r) for r in GOOD),
                                          "movies.tsv.xz": b"label\tid\tmovie\n"})
    with pytest.raises(DataIntegrityError, match=r"movies.tsv.xz, line 1: the header must be"):
        data.load_movies("train", folder=folder)
    folder = _movies_folder(tmp_path, ROWS)
    blob = bytearray((folder / "movies.tsv.xz").read_bytes())
    blob[-10] ^= 0xFF
    (folder / "movies.tsv.xz").write_bytes(bytes(blob))
    with pytest.raises(DataIntegrityError, match=r"movies.tsv.xz is corrupted: expected SHA-256"):
        data.load_movies("train", folder=folder)
    (folder / "SHA256SUMS").write_text((folder / "SHA256SUMS").read_text().splitlines()[1] + "\n")
    with pytest.raises(DataIntegrityError, match="has no entry for movies.tsv.xz"):
        data.load_movies("train", folder=folder)
    with pytest.raises(ValueError, match=r"reviews must be the 'test' split, got the 'train' split"):
        data.load_movies("test", reviews=load_imdb("train", folder=folder))
    with pytest.raises(TypeError, match="reviews must be the ImdbSplit"):
        data.load_movies("train", reviews=[1, 2])
    with pytest.raises(ValueError, match="split must be one of"):
        data.load_movies("validation")


def test_vendored_movies_cover_each_split_and_group_the_validation_split(train):
    from rnn_tutorial.splits import make_splits

    movies = data.load_movies("train", reviews=train)
    assert movies.shape == (25000,) and len(np.unique(movies)) == 3456
    assert movies[0] == "tt0453418"  # the first row of the file: train, label 1, id 0
    counts = np.unique(movies, return_counts=True)[1]
    assert counts.max() <= 30
    test_movies = data.load_movies("test")
    assert len(np.unique(test_movies)) == 3581 and len(set(movies) & set(test_movies)) == 1
    splits = make_splits(train.labels, train.labels, train_size=3000, test_size=2000, groups=movies)
    assert not set(movies[splits.train]) & set(movies[splits.val])
    assert abs(len(splits.val) - 600) <= 3 and abs(train.labels[splits.val].mean() - 0.5) < 0.01


@pytest.mark.parametrize("sums, match", [
    (b"deadbeef\n", r"SHA256SUMS, line 1: expected '<64 hex digits>  <file name>', got 'deadbeef'"),
    (b"\n" + b"z" * 64 + b"  train.jsonl.xz\n", r"SHA256SUMS, line 2: expected '<64 hex digits>  <file name>'"),
    (b"\xff\xfe  train.jsonl.xz\n", r"SHA256SUMS is not valid UTF-8 \(byte 0xff at offset 0\)"),
    ("directory", r"SHA256SUMS is not a file"),
    ("data directory", r"data file .*train\.jsonl\.xz is not a file"),
])
def test_malformed_checksum_file_or_data_folder_is_a_data_integrity_error(tmp_path, sums, match):
    """These used to escape as ValueError (unpacking), UnicodeDecodeError or IsADirectoryError."""
    folder = _train_folder(tmp_path, [_line(r) for r in GOOD])
    if sums == "directory":
        (folder / "SHA256SUMS").unlink()
        (folder / "SHA256SUMS").mkdir()
    elif sums == "data directory":
        (folder / "train.jsonl.xz").unlink()
        (folder / "train.jsonl.xz").mkdir()
    else:
        (folder / "SHA256SUMS").write_bytes(sums)
    with pytest.raises(DataIntegrityError, match=match) as err:
        load_imdb("train", folder=folder)
    assert "git checkout" in str(err.value)
