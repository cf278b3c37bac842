"""What a reader sees: chapter numbering, cross-references, notation, figures, code width.

These checks read the stored chapters and the book's pages; they fail on a figure without a
caption, a visible code line wider than the rendered column, a typed cross-reference that
names the wrong chapter, a weight symbol the notation page does not define, or a formula
written in the column-vector convention the book does not use.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(p for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
PAGES = sorted((ROOT / "book").glob("*.md"))
NOTATION = ROOT / "book" / "notation.md"
LINE_LIMIT = 88
HIDDEN = {"remove-cell", "remove-input", "hide-input"}


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _markdown(path):
    return [(c.get("id"), _source(c)) for c in _cells(path) if c["cell_type"] == "markdown"]


def _prose():
    """(place, text) for every markdown cell of every chapter and every book page."""
    for path in CHAPTERS:
        for cell_id, text in _markdown(path):
            yield f"{path.name} cell {cell_id}", text
    for page in PAGES:
        yield page.name, page.read_text(encoding="utf-8")


def test_chapter_files_are_numbered_contiguously_in_table_of_contents_order():
    numbers = [int(p.name[:2]) for p in CHAPTERS]
    assert numbers == list(range(1, len(CHAPTERS) + 1)), f"chapter files must be 01..NN without gaps: {numbers}"
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    in_toc = re.findall(r"file:\s*chapters/(\d\d_[a-z0-9_]+)", toc)
    assert in_toc == [p.stem for p in CHAPTERS], "the table of contents must list the chapters in file order"


_DOC_LINK = re.compile(r"\{doc\}`([^`<]*?)\s*<([^>]+)>`")
_BARE = re.compile(r"(?<![-\w])[Cc]hapters?[ \u00a0]+\d+")


@pytest.mark.parametrize("place, text", list(_prose()), ids=lambda v: v if isinstance(v, str) and len(v) < 80 else "")
def test_cross_references_are_links_that_name_the_right_chapter(place, text):
    for label, target in _DOC_LINK.findall(text):
        stem = Path(target).name
        numbered = re.fullmatch(r"(\d\d)_[a-z0-9_]+", stem)
        if numbered:
            assert (ROOT / "chapters" / f"{stem}.ipynb").exists(), f"{place}: link to missing chapter {target}"
            said = re.search(r"\d+", label)
            if said:
                assert int(said.group()) == int(numbered.group(1)), (
                    f"{place}: the link text {label!r} names another chapter than {stem}")
    bare = _BARE.findall(_DOC_LINK.sub("", text))
    assert not bare, f"{place}: write chapter references as {{doc}}`chapter N <NN_name>` links, found {bare}"


def test_code_comments_do_not_type_chapter_numbers():
    for path in CHAPTERS:
        for cell in _cells(path):
            if cell["cell_type"] == "code":
                found = re.findall(r"#.*\b[Cc]hapters?\s+\d+", _source(cell))
                assert not found, f"{path.name} cell {cell.get('id')}: a typed chapter number {found}"


_WEIGHT = re.compile(r"W_\{?([a-z]{1,3})\}?")


def _math(text):
    return re.findall(r"\$\$.*?\$\$|\$[^$\n]+\$", text, flags=re.S)


def test_every_weight_symbol_is_defined_on_the_notation_page():
    defined = set(_WEIGHT.findall(NOTATION.read_text(encoding="utf-8")))
    assert {"x", "h", "xi", "hf", "xz", "hh", "y"} <= defined
    for place, text in _prose():
        if place == NOTATION.name:
            continue
        for formula in _math(text):
            unknown = set(_WEIGHT.findall(formula)) - defined
            assert not unknown, f"{place}: weight symbol(s) {sorted(unknown)} not defined in book/notation.md"
            assert not re.search(r"(?<![\w\\])[KRU](?![\w{])", formula.replace("\\mathrm{", "")), (
                f"{place}: {formula!r} uses K, R or U for a weight; the book's symbols are W_x, W_h (notation page)")


def test_formulas_use_the_row_vector_convention():
    column_form = re.compile(r"(W_\{?[a-z]{1,3}\}?|\bW|\bU)\s*(\\,)?\s*(x_|h_|c_|\\tilde)")
    for place, text in _prose():
        if place == NOTATION.name:
            continue
        for formula in _math(text):
            assert not column_form.search(formula), (
                f"{place}: {formula.strip()!r} multiplies a weight by a state on its right; the book writes "
                "row vectors, x_t W_x (see book/notation.md)")


def test_the_notation_page_is_in_the_table_of_contents():
    assert "book/notation" in (ROOT / "_toc.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_figure_has_a_number_and_a_caption(path):
    for cell in _cells(path):
        if cell["cell_type"] != "code":
            continue
        images = [o for o in cell.get("outputs", []) if any(k.startswith("image/") for k in o.get("data", {}))]
        if images and not set(cell["metadata"].get("tags", [])) & {"remove-cell", "remove-output"}:
            figure = cell["metadata"].get("mystnb", {}).get("figure", {})
            assert figure.get("caption") and figure.get("name"), (
                f"{path.name} cell {cell.get('id')}: a figure needs mystnb figure metadata with a caption and a name")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_visible_code_fits_the_rendered_column(path):
    for cell in _cells(path):
        if cell["cell_type"] != "code" or set(cell["metadata"].get("tags", [])) & HIDDEN:
            continue
        for line in _source(cell).splitlines():
            assert len(line) <= LINE_LIMIT, (
                f"{path.name} cell {cell.get('id')}: a {len(line)}-character line (at most {LINE_LIMIT}): {line!r}")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_glue_and_record_only_cells_are_hidden(path):
    for cell in _cells(path):
        if cell["cell_type"] != "code":
            continue
        lines = [l for l in _source(cell).splitlines() if l.strip()]
        starts = [l for l in lines if not l.startswith((" ", ")", "}"))]
        plumbing = starts and all(l.startswith(("glue(", "record_metrics(")) for l in starts)
        if plumbing:
            assert "remove-cell" in cell["metadata"].get("tags", []), (
                f"{path.name} cell {cell.get('id')}: a cell that only glues or records should be tagged remove-cell")
