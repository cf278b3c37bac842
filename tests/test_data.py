import io
import json
import lzma
import shutil
import tarfile

import numpy as np
import pytest

from rnn_tutorial import data
from rnn_tutorial.data import DataIntegrityError, data_dir, load_imdb, read_checksums, rebuild_from_archive


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


def _archive_from(records_by_dir, path):
    with tarfile.open(path, "w:gz") as tar:
        for subdir, records in records_by_dir.items():
            for r in records:
                payload = r["text"].encode("utf-8")
                info = tarfile.TarInfo(f"aclImdb/{subdir}/{r['id']}_{r['rating']}.txt")
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))


def test_rebuild_from_archive_reproduces_the_vendored_format(tmp_path, train):
    # An archive holding a few real reviews in the original layout, shuffled.
    with lzma.open(data_dir() / "train.jsonl.xz", "rt", encoding="utf-8") as handle:
        lines = [line for _, line in zip(range(25000), handle)]
    pos = [json.loads(l) for l in lines[:12]]
    neg = [json.loads(l) for l in lines[12500:12510]]
    unsup = [{"id": i, "rating": 0, "text": f"unlabeled review {i} \u00e9"} for i in (3, 1, 2)]
    _archive_from({"train/pos": pos[::-1], "train/neg": neg, "test/pos": pos[:2], "test/neg": neg[:2], "train/unsup": unsup}, tmp_path / "a.tar.gz")
    out = tmp_path / "out"
    digests = rebuild_from_archive(tmp_path / "a.tar.gz", folder=out)
    assert set(digests) == {"train.jsonl.xz", "test.jsonl.xz", "unsup.jsonl.xz"}
    with lzma.open(out / "train.jsonl.xz", "rt", encoding="utf-8") as handle:
        rebuilt = handle.readlines()
    assert rebuilt == lines[:12] + lines[12500:12510]  # byte-identical JSON lines, original order
    split = load_imdb("unsup", folder=out)  # checksums written and verified
    assert list(split.ids) == [1, 2, 3]


def test_rebuild_refuses_an_archive_without_reviews(tmp_path):
    with tarfile.open(tmp_path / "empty.tar.gz", "w:gz"):
        pass
    with pytest.raises(ValueError, match="holds no reviews"):
        rebuild_from_archive(tmp_path / "empty.tar.gz", folder=tmp_path / "out")
    assert not (tmp_path / "out" / "train.jsonl.xz").exists()


def test_rebuild_missing_archive(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        rebuild_from_archive(tmp_path / "nope.tar.gz", folder=tmp_path)
