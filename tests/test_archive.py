"""Rebuilding the vendored files from the original archive (rnn_tutorial.archive)."""

import hashlib
import io
import json
import lzma
import tarfile

import pytest
from rnn_tutorial.archive import rebuild_from_archive
from rnn_tutorial.data import data_dir, load_imdb, read_checksums


@pytest.fixture(scope="module")
def train():
    return load_imdb("train")


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


GOOD = [
    {"id": 0, "rating": 9, "text": "A fine film.", "label": 1},
    {"id": 1, "rating": 8, "text": "Lovely <br />acting.", "label": 1},
    {"id": 0, "rating": 2, "text": "Dull.", "label": 0},
]


def _train_folder(folder):
    """A data folder holding a small, valid train split and its own SHA256SUMS."""
    payload = b"".join((json.dumps(r) + "\n").encode("utf-8") for r in GOOD)
    blob = lzma.compress(payload)
    folder.mkdir(parents=True)
    (folder / "train.jsonl.xz").write_bytes(blob)
    (folder / "SHA256SUMS").write_text(f"{hashlib.sha256(blob).hexdigest()}  train.jsonl.xz\n")
    return folder


def test_rebuild_keeps_checksums_of_files_it_does_not_rebuild(tmp_path):
    records = [{"id": 1, "rating": 9, "text": "good"}]
    _archive_from({"train/pos": records, "train/neg": records, "test/pos": records, "test/neg": records,
                   "train/unsup": [{"id": 1, "rating": 0, "text": "any"}]}, tmp_path / "a.tar.gz")
    out = tmp_path / "out"
    out.mkdir()
    (out / "SHA256SUMS").write_text(f"{'a' * 64}  movies.tsv.xz\n{'b' * 64}  train.jsonl.xz\n")
    digests = rebuild_from_archive(tmp_path / "a.tar.gz", folder=out)
    sums = read_checksums(out)
    assert sums["movies.tsv.xz"] == "a" * 64
    assert sums["train.jsonl.xz"] == digests["train.jsonl.xz"] != "b" * 64
    assert sorted(sums) == ["movies.tsv.xz", "test.jsonl.xz", "train.jsonl.xz", "unsup.jsonl.xz"]


# --------------------------------------------------------------------------- archives and checksum files that are not what they claim

_GOOD_MEMBERS = [("aclImdb/train/pos/1_8.txt", b"good"), ("aclImdb/train/neg/2_2.txt", b"bad"),
                 ("aclImdb/test/pos/1_9.txt", b"good"), ("aclImdb/test/neg/2_1.txt", b"bad"),
                 ("aclImdb/train/unsup/1_0.txt", b"meh")]


@pytest.mark.parametrize("extra, match", [
    ([("aclImdb/train/pos/3_99.txt", b"x")], r"member aclImdb/train/pos/3_99\.txt: field 'rating' must be an integer from 0 to 10, got 99"),
    ([("aclImdb/test/neg/2147483648_2.txt", b"x")], r"member aclImdb/test/neg/2147483648_2\.txt: field 'id' must be an integer from 0 to 2147483647"),
    ([("aclImdb/train/pos/1_9.txt", b"again")], r"member aclImdb/train/pos/1_9\.txt: review id 1 with label 1 of the train split is repeated \(it is also in member aclImdb/train/pos/1_8\.txt"),
    ([("aclImdb/train/unsup/1_0.txt", b"dup")], r"member aclImdb/train/unsup/1_0\.txt: review id 1 of the unsup split is repeated \(the archive holds this member twice"),
    ([("aclImdb/train/pos/5_7.txt", b"caf\xe9")], r"member aclImdb/train/pos/5_7\.txt: not valid UTF-8 \(byte 0xe9 at offset 3\)"),
    (None, r"cannot be read as a tar archive"),
])
def test_rebuild_refuses_what_load_imdb_would_refuse_and_writes_nothing(tmp_path, extra, match):
    """A bad archive used to be written (with matching SHA256SUMS) over the data, which load_imdb then refused."""
    archive = tmp_path / "aclImdb_v1.tar.gz"
    if extra is None:
        archive.write_bytes(b"hello, not a tar")
    else:
        with tarfile.open(archive, "w:gz") as tar:
            for name, payload in _GOOD_MEMBERS + extra:
                info = tarfile.TarInfo(name)
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
    folder = _train_folder(tmp_path / "imdb")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(ValueError, match=match) as err:
        rebuild_from_archive(archive, folder=folder)
    assert str(archive) in str(err.value) and "aclImdb_v1.tar.gz" in str(err.value)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing written, no stray temporary file
    assert len(load_imdb("train", folder=folder)) == 3
