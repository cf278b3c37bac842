"""The package's shape: no import cycles (deferred imports included), the reader layer never
imports the book machinery, modules of about 500 lines at most, a test file per module."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rnn_tutorial"
TESTS = Path(__file__).resolve().parent
MAX_LINES = 560  # "about 500"


def _name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in SRC.rglob("*.py")}


def _resolve(module: str, is_package: bool, level: int, target: "str | None") -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join(base + ([target] if target else []))


def _imports(module: str) -> set:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):  # every import, at the top or deferred inside a function
        if isinstance(node, ast.ImportFrom):
            if node.level:
                target = _resolve(module, path.name == "__init__.py", node.level, node.module)
            elif node.module and node.module.startswith("rnn_tutorial"):
                target = node.module
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("rnn_tutorial")}
    return {m for m in found if m in MODULES and m != module}


GRAPH = {m: _imports(m) for m in MODULES}


def test_no_import_cycles():
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "active"
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == "active":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    # a package importing its own submodules is not a cycle unless a submodule imports it back
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_reader_layer_never_imports_the_book_machinery():
    for module, imported in GRAPH.items():
        if module.startswith("rnn_tutorial.book") or module == "rnn_tutorial.__main__":
            continue
        machinery = sorted(m for m in imported if m.startswith("rnn_tutorial.book"))
        assert not machinery, f"{module} imports {machinery}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_small(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by job (at most about 500)"


def test_every_module_has_its_test_file():
    shims = {"rnn_tutorial.__main__", "rnn_tutorial"}
    missing = []
    for module, path in MODULES.items():
        if module in shims or path.name == "__init__.py" and module != "rnn_tutorial.scratch":
            continue
        if module.startswith("rnn_tutorial.scratch."):
            continue  # the NumPy reference is tested as one package, tests/test_scratch.py
        stem = module.rsplit(".", 1)[1]
        if not (TESTS / f"test_{stem}.py").exists():
            missing.append(f"{module} (tests/test_{stem}.py)")
    assert not missing, "modules without a test file: " + ", ".join(missing)
