import collections
import hashlib
import re
import shutil

import numpy as np
import pytest

from rnn_tutorial.contrast import (
    PHENOMENA,
    ContrastFormatError,
    ContrastSet,
    contrast_dir,
    load_contrast_pairs,
    score_contrast,
)
from rnn_tutorial.data import DataIntegrityError


@pytest.fixture(scope="module")
def contrast():
    return load_contrast_pairs()


def test_vendored_file_loads_with_enough_pairs_per_phenomenon(contrast):
    assert isinstance(contrast, ContrastSet)
    n = len(contrast)
    assert n == len(contrast.texts) == len(contrast.phenomena) == contrast.labels.shape[0] == contrast.pairs.shape[0]
    assert contrast.labels.dtype == np.int8 and set(contrast.labels.tolist()) == {0, 1}
    assert contrast.n_pairs >= 48 and n == 2 * contrast.n_pairs
    per_phenomenon = collections.Counter(contrast.phenomena)
    assert set(per_phenomenon) == set(PHENOMENA)
    assert all(count // 2 >= 8 for count in per_phenomenon.values()), per_phenomenon
    assert contrast.labels.mean() == 0.5


def test_each_pair_has_two_members_with_opposite_labels_and_one_phenomenon(contrast):
    members = collections.defaultdict(list)
    for pair, phenomenon, label, text in zip(contrast.pairs, contrast.phenomena, contrast.labels, contrast.texts):
        members[int(pair)].append((phenomenon, int(label), text))
    for pair, rows in members.items():
        assert len(rows) == 2, pair
        (phen_a, label_a, text_a), (phen_b, label_b, text_b) = rows
        assert phen_a == phen_b and label_a + label_b == 1 and text_a != text_b, pair


def test_sentences_are_short_and_distinct(contrast):
    assert len(set(contrast.texts)) == len(contrast.texts)
    for text in contrast.texts:
        assert 10 <= len(text.split()) <= 30, text
        assert text == text.strip() and "\t" not in text


def test_members_of_a_pair_share_nearly_all_words(contrast):
    members = collections.defaultdict(list)
    for pair, text in zip(contrast.pairs, contrast.texts):
        members[int(pair)].append(collections.Counter(re.findall(r"[a-z']+", text.lower())))
    for pair, (a, b) in members.items():
        differing = sum(((a - b) + (b - a)).values())
        assert differing <= 6, (pair, (a - b) + (b - a))


@pytest.fixture()
def copy_of_contrast(tmp_path):
    folder = tmp_path / "contrast"
    folder.mkdir()
    shutil.copy(contrast_dir() / "pairs.tsv", folder)
    shutil.copy(contrast_dir() / "SHA256SUMS", folder)
    return folder


def _rewrite(folder, edit):
    """Apply ``edit`` to the lines of the copied pairs.tsv and record the new checksum."""
    path = folder / "pairs.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    edit(lines)
    path.write_text("\n".join(lines), encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "SHA256SUMS").write_text(f"{digest}  pairs.tsv\n", encoding="utf-8")
    return path


def test_copy_loads_from_a_folder_or_a_file(copy_of_contrast, contrast):
    for where in (copy_of_contrast, copy_of_contrast / "pairs.tsv", str(copy_of_contrast / "pairs.tsv")):
        loaded = load_contrast_pairs(where)
        assert loaded.texts == contrast.texts and np.array_equal(loaded.labels, contrast.labels)


def test_checksum_mismatch_is_rejected(copy_of_contrast):
    path = copy_of_contrast / "pairs.tsv"
    path.write_text(path.read_text(encoding="utf-8").replace("wonderful", "wondrous", 1), encoding="utf-8")
    with pytest.raises(DataIntegrityError, match=re.escape(str(path)) + r".*expected SHA-256"):
        load_contrast_pairs(copy_of_contrast)


def test_missing_checksum_file_or_entry_is_rejected(copy_of_contrast):
    sums = copy_of_contrast / "SHA256SUMS"
    sums.write_text("0" * 64 + "  other.tsv\n", encoding="utf-8")
    with pytest.raises(DataIntegrityError, match="no entry for pairs.tsv"):
        load_contrast_pairs(copy_of_contrast)
    sums.unlink()
    with pytest.raises(DataIntegrityError, match="SHA256SUMS is missing"):
        load_contrast_pairs(copy_of_contrast)


@pytest.mark.parametrize("content, match", [
    (b"\xff\xfe not text\n", "not valid UTF-8"),
    (b"nothexnothex  pairs.tsv\n", r"line 1: expected '<64 hex digits>  <file name>'"),
    (b"0" * 64 + b"\n", r"line 1: expected '<64 hex digits>  <file name>'"),
])
def test_malformed_checksum_file_is_a_data_integrity_error(copy_of_contrast, content, match):
    # the same SHA256SUMS reader as the IMDB data (rnn_tutorial.files.read_checksum_file)
    (copy_of_contrast / "SHA256SUMS").write_bytes(content)
    with pytest.raises(DataIntegrityError, match=match):
        load_contrast_pairs(copy_of_contrast)


def test_bad_label_is_rejected_naming_file_and_line(copy_of_contrast):
    def edit(lines):
        fields = lines[4].split("\t")
        fields[2] = "pos"
        lines[4] = "\t".join(fields)

    path = _rewrite(copy_of_contrast, edit)
    with pytest.raises(ContrastFormatError, match=re.escape(f"{path}, line 5: label must be exactly '0' or '1'")):
        load_contrast_pairs(path)


def test_label_with_spaces_is_rejected(copy_of_contrast):
    def edit(lines):
        fields = lines[1].split("\t")
        fields[2] = f" {fields[2]}"
        lines[1] = "\t".join(fields)

    path = _rewrite(copy_of_contrast, edit)
    with pytest.raises(ValueError, match=re.escape(f"{path}, line 2: label")):
        load_contrast_pairs(path)


def test_pair_with_one_member_is_rejected_naming_file_and_line(copy_of_contrast):
    path = _rewrite(copy_of_contrast, lambda lines: lines.pop(3))  # drop the first member of pair 2
    with pytest.raises(ContrastFormatError, match=re.escape(f"{path}, line 4: pair 2 has only one line")):
        load_contrast_pairs(path)


def test_pair_with_equal_labels_is_rejected_naming_file_and_line(copy_of_contrast):
    def edit(lines):
        first, second = lines[1].split("\t"), lines[2].split("\t")
        second[2] = first[2]
        lines[2] = "\t".join(second)

    path = _rewrite(copy_of_contrast, edit)
    with pytest.raises(ContrastFormatError, match=re.escape(f"{path}, line 3: pair 1 has label") + ".*opposite labels"):
        load_contrast_pairs(path)


def test_pair_with_three_members_or_two_phenomena_is_rejected(copy_of_contrast):
    path = _rewrite(copy_of_contrast, lambda lines: lines.insert(3, lines[1]))
    with pytest.raises(ContrastFormatError, match=re.escape(f"{path}, line 4: pair 1 has more than two lines")):
        load_contrast_pairs(path)

    def edit(lines):
        del lines[3]
        lines[2] = lines[2].replace("\tnegation\t", "\tconcession\t")

    path = _rewrite(copy_of_contrast, edit)
    with pytest.raises(ContrastFormatError, match=re.escape(f"{path}, line 3: pair 1 is 'concession'")):
        load_contrast_pairs(path)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda lines: lines.__setitem__(1, lines[1] + "\textra"), "line 2: expected exactly 4 tab-separated fields"),
        (lambda lines: lines.__setitem__(1, lines[1].rsplit("\t", 1)[0] + "\t  "), "line 2: the text is empty"),
        (lambda lines: lines.__setitem__(1, "x" + lines[1]), "line 2: pair id must be a whole number"),
        (lambda lines: lines.__setitem__(1, lines[1].replace("negation", "negations")), "line 2: unknown phenomenon"),
        (lambda lines: lines.__setitem__(0, "pair,phenomenon,label,text"), "line 1: the header must be"),
    ],
)
def test_malformed_lines_are_rejected_naming_file_and_line(copy_of_contrast, edit, message):
    path = _rewrite(copy_of_contrast, edit)
    with pytest.raises(ContrastFormatError, match=re.escape(f"{path}, {message}")):
        load_contrast_pairs(path)


def test_perfect_predictor_scores_one(contrast):
    score = score_contrast(contrast.labels.astype(float), contrast)
    assert score["accuracy"] == 1.0 and score["pair_accuracy"] == 1.0
    assert score["sentences"] == len(contrast) and score["pairs"] == contrast.n_pairs
    assert set(score["by_phenomenon"]) == set(PHENOMENA)
    assert all(s["accuracy"] == 1.0 and s["pair_accuracy"] == 1.0 for s in score["by_phenomenon"].values())
    # Keras' predict returns (n, 1); that shape is accepted too
    assert score_contrast(contrast.labels.reshape(-1, 1) * 0.9 + 0.05, contrast)["pair_accuracy"] == 1.0


@pytest.mark.parametrize("value", [0.0, 0.3, 0.5, 0.99, 1.0])
def test_constant_predictor_gets_half_the_sentences_and_no_pair(contrast, value):
    score = score_contrast(np.full(len(contrast), value), contrast)
    assert score["accuracy"] == 0.5 and score["pair_accuracy"] == 0.0
    for s in score["by_phenomenon"].values():
        assert s["accuracy"] == 0.5 and s["pair_accuracy"] == 0.0


def test_rows_form_a_table_in_phenomenon_order(contrast):
    probs = contrast.labels.astype(float)
    probs[0] = 1.0 - probs[0]  # one wrong sentence breaks one pair
    score = score_contrast(probs, contrast)
    rows = score["rows"]
    assert [row["phenomenon"] for row in rows] == list(PHENOMENA) + ["all"]
    assert all(set(row) == {"phenomenon", "pairs", "accuracy", "pair_accuracy"} for row in rows)
    assert rows[-1]["pairs"] == contrast.n_pairs and sum(row["pairs"] for row in rows[:-1]) == contrast.n_pairs
    assert score["accuracy"] == pytest.approx(1 - 1 / len(contrast))
    assert score["pair_accuracy"] == pytest.approx(1 - 1 / contrast.n_pairs)
    first = score["by_phenomenon"][contrast.phenomena[0]]
    assert first["pair_accuracy"] == pytest.approx(1 - 1 / first["pairs"])


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda n: np.full(n - 1, 0.5), "shape"),
        (lambda n: np.full(n + 1, 0.5), "shape"),
        (lambda n: np.full((n, 2), 0.5), "shape"),
        (lambda n: np.r_[np.full(n - 1, 0.5), np.nan], "NaN"),
        (lambda n: np.r_[np.inf, np.full(n - 1, 0.5)], "NaN or infinity"),
        (lambda n: np.r_[np.full(n - 1, 0.5), 1.5], r"\[0, 1\]"),
        (lambda n: np.r_[-0.1, np.full(n - 1, 0.5)], r"\[0, 1\]"),
        (lambda n: ["high"] * n, "numbers"),
    ],
)
def test_bad_probs_are_rejected(contrast, make, message):
    with pytest.raises(ValueError, match=message):
        score_contrast(make(len(contrast)), contrast)


def test_bad_contrast_set_or_threshold_is_rejected(contrast):
    with pytest.raises(TypeError, match="ContrastSet"):
        score_contrast(np.full(len(contrast), 0.5), contrast.texts)
    with pytest.raises(ValueError, match="threshold"):
        score_contrast(np.full(len(contrast), 0.5), contrast, threshold=1.0)
