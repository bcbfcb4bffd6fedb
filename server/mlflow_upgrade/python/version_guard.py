"""Which branch of an `if` on `mlflow.__version__` runs on MLflow 2.

The test is evaluated twice, with the version string set to an MLflow 2 and an
MLflow 3 release, in a namespace that knows only comparison helpers. Whatever
cannot be evaluated that way is not treated as a guard. The test is interpreted
by a tiny evaluator, never `eval`: analysing a file must not run its code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

_MLFLOW2, _MLFLOW3 = "2.22.5", "3.0.0"


class _Version:
    """Just enough of packaging.version.Version to compare release numbers."""

    def __init__(self, text: str) -> None:
        numbers = re.findall(r"\d+", str(text).split("+")[0])[:3]
        self.release = tuple(int(n) for n in numbers) + (0,) * (3 - len(numbers))
        self.major, self.minor, self.micro = self.release

    def _other(self, other: object) -> tuple[int, ...]:
        return other.release if isinstance(other, _Version) else _Version(str(other)).release

    def __lt__(self, other: object) -> bool:
        return self.release < self._other(other)

    def __le__(self, other: object) -> bool:
        return self.release <= self._other(other)

    def __gt__(self, other: object) -> bool:
        return self.release > self._other(other)

    def __ge__(self, other: object) -> bool:
        return self.release >= self._other(other)

    def __eq__(self, other: object) -> bool:
        return self.release == self._other(other)

    def __hash__(self) -> int:
        return hash(self.release)


_CONSTRUCTORS = {"Version", "parse", "parse_version", "LooseVersion", "StrictVersion"}
_SAFE_CALLS = {"int": int, "str": str, "tuple": tuple, "len": len}
_SAFE_METHODS = {"startswith", "split", "strip", "endswith"}
_SAFE_ATTRIBUTES = {"major", "minor", "micro", "release"}
_COMPARE = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}


class _Unsupported(Exception):
    pass


def _interpret(node: ast.expr) -> object:
    """Evaluate the small expression language of version checks; never runs user code."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(_interpret(e) for e in node.elts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not _interpret(node.operand)
    if isinstance(node, ast.BoolOp):
        values = [bool(_interpret(v)) for v in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare):
        left = _interpret(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _interpret(comparator)
            if type(op) not in _COMPARE or not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return _interpret(node.value)[node.slice.value]  # type: ignore[index]
    if isinstance(node, ast.Attribute) and node.attr in _SAFE_ATTRIBUTES:
        return getattr(_interpret(node.value), node.attr)
    if isinstance(node, ast.Call) and not node.keywords:
        args = [_interpret(a) for a in node.args]
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in _CONSTRUCTORS:
            return _Version(str(args[0]))
        if isinstance(func, ast.Name) and name in _SAFE_CALLS:
            return _SAFE_CALLS[name](*args)
        if isinstance(func, ast.Attribute) and name in _SAFE_METHODS:
            receiver = _interpret(func.value)
            if isinstance(receiver, str):
                return getattr(receiver, name)(*args)
    raise _Unsupported(ast.dump(node))


class _Substitute(ast.NodeTransformer):
    def __init__(
        self,
        version: str,
        qualname: Callable[[ast.expr], str | None],
        value_of: Callable[[str], ast.expr | None],
    ) -> None:
        self.version = version
        self.qualname = qualname
        self.value_of = value_of
        self.depth = 0
        self.found = False

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if node.attr == "__version__" and self.qualname(node.value) == "mlflow":
            self.found = True
            return ast.copy_location(ast.Constant(self.version), node)
        return self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        value = self.value_of(node.id) if node.id not in _CONSTRUCTORS else None
        if value is not None and self.depth < 3:
            self.depth += 1
            replaced = self.visit(_copy(value))
            self.depth -= 1
            return replaced
        return node


def _copy(expr: ast.expr) -> ast.expr:
    return ast.parse(ast.unparse(expr), mode="eval").body


def _evaluate(test: ast.expr, version: str, qualname, value_of) -> bool | None:
    substitute = _Substitute(version, qualname, value_of)
    expression = substitute.visit(_copy(test))
    if not substitute.found:
        return None
    try:
        return bool(_interpret(expression))
    except (_Unsupported, TypeError, ValueError, IndexError, KeyError, AttributeError):
        return None


def guarded_branches(
    node: ast.If,
    qualname: Callable[[ast.expr], str | None],
    value_of: Callable[[str], ast.expr | None],
) -> list[list[ast.stmt]]:
    """The statement lists of `node` that only run on MLflow 2."""
    on_two = _evaluate(node.test, _MLFLOW2, qualname, value_of)
    on_three = _evaluate(node.test, _MLFLOW3, qualname, value_of)
    if on_two is None or on_three is None or on_two == on_three:
        return []
    return [node.body] if on_two else [node.orelse]
