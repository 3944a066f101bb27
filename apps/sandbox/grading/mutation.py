"""Mutants of a reference solution: one small change each, to prove the checks notice it.

``mutants(source)`` parses a solution.py and returns every one-change variant the operators
below produce, each with a stable id ``<operator>:L<line>: <before> -> <after>``. A mutant
the checks pass is a *survivor*: either the checks are missing a case (add one) or the change
cannot be told apart from the reference (list it in the exercise's equivalent_mutants.yaml
with a one-line reason).

Operators (the mistakes learners make, mechanically):

    swap-axis         axis=-1 -> axis=0, axis=0 -> axis=1, ...
    drop-keepdims     keepdims=True removed
    transpose         .T removed; an operand of @ transposed
    flip-sign         -x -> x; a - b <-> a + b
    off-by-one        integer constants, range() bounds and slice bounds +-1
    sum-mean          sum <-> mean
    log-base          log <-> log2, log10 -> log
    max-min           max <-> min, maximum <-> minimum, amax <-> amin
    argmax-argmin     argmax <-> argmin
    compare           < <-> <=, > <-> >=
    unstabilise       x - x.max(...) -> x; logaddexp, log1p, expm1, lgamma written naively;
                      a tiny epsilon or a clip removed
    mul-matmul        * <-> @
    drop-from-loop    one statement of a loop body removed
    float32           the result rounded to float32; the inputs cast to float32 (the
                      tolerance policy says a correct float32 computation passes, so these
                      two are expected to survive unless the exercise asks for float64)
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Mutants of these operators are expected to pass (content/NOTATION.md, "Tolerances").
POLICY_OPERATORS = frozenset({"float32-result", "float32-inputs"})

FLOAT32_HELPER = """

def _mutant_float32(value):
    import numpy as _np
    if isinstance(value, tuple):
        return tuple(_mutant_float32(v) for v in value)
    if isinstance(value, list):
        return [_mutant_float32(v) for v in value]
    if isinstance(value, float | _np.floating):
        return _np.float32(value)
    if isinstance(value, _np.ndarray) and value.dtype.kind == "f":
        return value.astype(_np.float32)
    return value
"""

Replace = Callable[[ast.AST], ast.AST | None]
Variant = tuple[str, Replace]


@dataclass(frozen=True)
class Mutant:
    """One changed copy of a solution."""

    id: str
    operator: str
    line: int
    description: str
    source: str

    @property
    def expected_to_survive(self) -> bool:
        """A policy mutant: a correct float32 computation, which the checks must accept."""
        return self.operator in POLICY_OPERATORS


# --- helpers --------------------------------------------------------------------------------
def _attr_name(node: ast.AST) -> str:
    """The called name: ``np.sum(...)`` and ``x.sum(...)`` -> "sum", ``max(...)`` -> "max"."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _renamed(new: str) -> Replace:
    def apply(node: ast.AST) -> ast.AST:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute):
            func.attr = new
        elif isinstance(func, ast.Name):
            func.id = new
        return node

    return apply


def _int_value(node: ast.AST) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) is int
    ):
        return -node.operand.value
    return None


def _int_node(value: int) -> ast.expr:
    if value < 0:
        return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(-value))
    return ast.Constant(value)


def _plus(delta: int) -> Replace:
    def apply(node: ast.AST) -> ast.AST:
        assert isinstance(node, ast.expr)
        op: ast.operator = ast.Add() if delta > 0 else ast.Sub()
        return ast.BinOp(left=node, op=op, right=ast.Constant(abs(delta)))

    return apply


def _np_call(name: str, *args: ast.expr) -> ast.Call:
    return ast.Call(
        func=ast.Attribute(value=ast.Name("np", ast.Load()), attr=name, ctx=ast.Load()),
        args=list(args),
        keywords=[],
    )


# --- operators: each maps a node to its variants (description, replacement) -----------------
SWAP_AXIS = {0: 1, 1: 0, -1: 0, -2: -1, 2: 1}


def swap_axis(node: ast.AST) -> list[Variant]:
    if not isinstance(node, ast.keyword) or node.arg != "axis":
        return []
    value = _int_value(node.value)
    if value is None or value not in SWAP_AXIS:
        return []
    new = SWAP_AXIS[value]

    def apply(kw: ast.AST) -> ast.AST:
        assert isinstance(kw, ast.keyword)
        kw.value = _int_node(new)
        return kw

    return [(f"axis={value} -> axis={new}", apply)]


def drop_keepdims(node: ast.AST) -> list[Variant]:
    if not isinstance(node, ast.Call):
        return []
    if not any(k.arg == "keepdims" for k in node.keywords):
        return []

    def apply(call: ast.AST) -> ast.AST:
        assert isinstance(call, ast.Call)
        call.keywords = [k for k in call.keywords if k.arg != "keepdims"]
        return call

    return [("keepdims dropped", apply)]


def transpose(node: ast.AST) -> list[Variant]:
    if isinstance(node, ast.Attribute) and node.attr == "T" and isinstance(node.ctx, ast.Load):
        return [(".T removed", lambda n: n.value if isinstance(n, ast.Attribute) else n)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):

        def side(which: str) -> Replace:
            def apply(binop: ast.AST) -> ast.AST:
                assert isinstance(binop, ast.BinOp)
                operand = getattr(binop, which)
                setattr(binop, which, ast.Attribute(value=operand, attr="T", ctx=ast.Load()))
                return binop

            return apply

        return [
            ("left operand of @ transposed", side("left")),
            ("right operand of @ transposed", side("right")),
        ]
    return []


def flip_sign(node: ast.AST) -> list[Variant]:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        if isinstance(node.operand, ast.Constant):
            return []  # a negative literal: off-by-one and the constants' own operators
        return [("unary minus removed", lambda n: n.operand if isinstance(n, ast.UnaryOp) else n)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub | ast.Add):
        new: ast.operator = ast.Add() if isinstance(node.op, ast.Sub) else ast.Sub()
        symbol = "+" if isinstance(new, ast.Add) else "-"

        def apply(binop: ast.AST) -> ast.AST:
            assert isinstance(binop, ast.BinOp)
            binop.op = type(new)()
            return binop

        return [(f"operator -> {symbol}", apply)]
    return []


def off_by_one(node: ast.AST) -> list[Variant]:
    """An integer literal (a negative one as a whole) one more and one less."""
    value = _int_value(node)
    if value is None or (isinstance(node, ast.Constant) and type(node.value) is not int):
        return []
    return [
        (f"{value} -> {value + 1}", lambda _: _int_node(value + 1)),
        (f"{value} -> {value - 1}", lambda _: _int_node(value - 1)),
    ]


def _bound_variants(label: str) -> list[Variant]:
    return [(f"{label} + 1", _plus(1)), (f"{label} - 1", _plus(-1))]


def loop_bounds(node: ast.AST) -> list[Variant]:
    """range() stops and slice bounds that are not literals (literals are off-by-one's)."""
    if isinstance(node, ast.Call) and _attr_name(node) == "range" and node.args:
        stop = node.args[-1] if len(node.args) <= 2 else node.args[1]
        if _int_value(stop) is None:
            index = node.args.index(stop)

            def bound(delta: int) -> Replace:
                def apply(call: ast.AST) -> ast.AST:
                    assert isinstance(call, ast.Call)
                    call.args[index] = ast.BinOp(
                        left=call.args[index],
                        op=ast.Add() if delta > 0 else ast.Sub(),
                        right=ast.Constant(1),
                    )
                    return call

                return apply

            return [("range stop + 1", bound(1)), ("range stop - 1", bound(-1))]
    if isinstance(node, ast.Slice):
        variants: list[Variant] = []
        for part in ("lower", "upper"):
            value = getattr(node, part)
            if value is None or _int_value(value) is not None:
                continue

            def shift(delta: int, part: str = part) -> Replace:
                def apply(slice_: ast.AST) -> ast.AST:
                    assert isinstance(slice_, ast.Slice)
                    setattr(slice_, part, _plus(delta)(getattr(slice_, part)))
                    return slice_

                return apply

            variants += [(f"slice {part} + 1", shift(1)), (f"slice {part} - 1", shift(-1))]
        return variants
    return []


def _swap_names(pairs: dict[str, str]) -> Callable[[ast.AST], list[Variant]]:
    def operator(node: ast.AST) -> list[Variant]:
        if not isinstance(node, ast.Call):
            return []
        name = _attr_name(node)
        if name not in pairs:
            return []
        if isinstance(node.func, ast.Name) and name not in ("max", "min"):
            return []
        return [(f"{name} -> {pairs[name]}", _renamed(pairs[name]))]

    return operator


sum_mean = _swap_names({"sum": "mean", "mean": "sum", "nansum": "nanmean", "nanmean": "nansum"})
log_base = _swap_names({"log": "log2", "log2": "log", "log10": "log"})
max_min = _swap_names(
    {
        "max": "min",
        "min": "max",
        "amax": "amin",
        "amin": "amax",
        "maximum": "minimum",
        "minimum": "maximum",
        "nanmax": "nanmin",
        "nanmin": "nanmax",
        "fmax": "fmin",
        "fmin": "fmax",
    }
)
argmax_argmin = _swap_names({"argmax": "argmin", "argmin": "argmax"})


def compare(node: ast.AST) -> list[Variant]:
    if not isinstance(node, ast.Compare):
        return []
    swaps: dict[type[ast.cmpop], type[ast.cmpop]] = {
        ast.Lt: ast.LtE,
        ast.LtE: ast.Lt,
        ast.Gt: ast.GtE,
        ast.GtE: ast.Gt,
    }
    variants: list[Variant] = []
    for index, op in enumerate(node.ops):
        if type(op) not in swaps:
            continue
        new = swaps[type(op)]

        def apply(cmp: ast.AST, index: int = index, new: type[ast.cmpop] = new) -> ast.AST:
            assert isinstance(cmp, ast.Compare)
            cmp.ops[index] = new()
            return cmp

        variants.append((f"{type(op).__name__} -> {new.__name__}", apply))
    return variants


def _naive(name: str, args: list[ast.expr]) -> ast.expr | None:
    """A stable function written the naive way, or None."""
    if name == "logaddexp" and len(args) == 2:
        return _np_call(
            "log", ast.BinOp(_np_call("exp", args[0]), ast.Add(), _np_call("exp", args[1]))
        )
    if name == "log1p" and len(args) == 1:
        return _np_call("log", ast.BinOp(ast.Constant(1.0), ast.Add(), args[0]))
    if name == "expm1" and len(args) == 1:
        return ast.BinOp(_np_call("exp", args[0]), ast.Sub(), ast.Constant(1.0))
    if name in ("lgamma", "gammaln") and len(args) == 1:
        gamma = ast.Call(
            func=ast.Attribute(value=ast.Name("math", ast.Load()), attr="gamma", ctx=ast.Load()),
            args=[args[0]],
            keywords=[],
        )
        return ast.Call(
            func=ast.Attribute(value=ast.Name("math", ast.Load()), attr="log", ctx=ast.Load()),
            args=[gamma],
            keywords=[],
        )
    if name == "clip" and args:
        return args[0]
    return None


def _is_max_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _attr_name(node) in ("max", "amax", "nanmax")


def _keep(side: str) -> Replace:
    def apply(binop: ast.AST) -> ast.AST:
        kept: ast.AST = getattr(binop, side)
        return kept

    return apply


def unstabilise(node: ast.AST) -> list[Variant]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and _is_max_call(node.right):
        return [("max subtraction removed", lambda n: n.left if isinstance(n, ast.BinOp) else n)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        for side, other in (("right", "left"), ("left", "right")):
            value = getattr(node, side)
            tiny = isinstance(value, ast.Constant) and isinstance(value.value, float)
            if tiny and 0 < abs(value.value) < 1e-6:
                return [("epsilon removed", _keep(other))]
    if isinstance(node, ast.Call) and not node.keywords:
        name = _attr_name(node)
        if _naive(name, list(node.args)) is not None:

            def apply(call: ast.AST, name: str = name) -> ast.AST:
                assert isinstance(call, ast.Call)
                naive = _naive(name, list(call.args))
                return naive if naive is not None else call

            return [(f"{name} written naively", apply)]
    return []


def mul_matmul(node: ast.AST) -> list[Variant]:
    if not isinstance(node, ast.BinOp) or not isinstance(node.op, ast.Mult | ast.MatMult):
        return []
    new: ast.operator = ast.MatMult() if isinstance(node.op, ast.Mult) else ast.Mult()

    def apply(binop: ast.AST) -> ast.AST:
        assert isinstance(binop, ast.BinOp)
        binop.op = type(new)()
        return binop

    return [("* -> @" if isinstance(new, ast.MatMult) else "@ -> *", apply)]


def drop_from_loop(node: ast.AST) -> list[Variant]:
    if not isinstance(node, ast.For | ast.While):
        return []
    variants: list[Variant] = []
    for index, statement in enumerate(node.body):
        text = ast.unparse(statement).splitlines()[0]

        def apply(loop: ast.AST, index: int = index) -> ast.AST:
            assert isinstance(loop, ast.For | ast.While)
            del loop.body[index]
            if not loop.body:
                loop.body.append(ast.Pass())
            return loop

        variants.append((f"dropped `{text[:50]}`", apply))
    return variants


OPERATORS: dict[str, Callable[[ast.AST], list[Variant]]] = {
    "swap-axis": swap_axis,
    "drop-keepdims": drop_keepdims,
    "transpose": transpose,
    "flip-sign": flip_sign,
    "off-by-one": off_by_one,
    "loop-bound": loop_bounds,
    "sum-mean": sum_mean,
    "log-base": log_base,
    "max-min": max_min,
    "argmax-argmin": argmax_argmin,
    "compare": compare,
    "unstabilise": unstabilise,
    "mul-matmul": mul_matmul,
    "drop-from-loop": drop_from_loop,
}


# --- building mutants ------------------------------------------------------------------------
def _parents(tree: ast.AST) -> dict[int, tuple[ast.AST, str, int | None]]:
    parents: dict[int, tuple[ast.AST, str, int | None]] = {}
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if isinstance(value, ast.AST):
                parents[id(value)] = (parent, name, None)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        parents[id(item)] = (parent, name, index)
    return parents


def _replace(tree: ast.Module, index: int, apply: Replace) -> ast.Module:
    """A copy of ``tree`` whose ``index``-th node (walk order) is replaced by ``apply``'s."""
    tree = copy.deepcopy(tree)
    node = list(ast.walk(tree))[index]
    parent, name, position = _parents(tree)[id(node)]
    new = apply(node)
    if position is None:
        setattr(parent, name, new)
    elif new is None:
        del getattr(parent, name)[position]
    else:
        getattr(parent, name)[position] = new
    return ast.fix_missing_locations(tree)


def _short(node: ast.AST) -> str:
    text = ast.unparse(node).splitlines()[0].rstrip(":")
    return text if len(text) <= 60 else text[:57] + "..."


def _not_literals(tree: ast.AST) -> set[int]:
    """Nodes off-by-one leaves alone: axis arguments (swap-axis's) and the 1 of a -1."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("axis", "keepdims"):
            skip |= {id(inner) for inner in ast.walk(node.value)}
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            skip.add(id(node.operand))
    return skip


# Nodes too small to name a place on their own: described by the expression around them.
SMALL = (ast.Slice, ast.Constant, ast.keyword, ast.UnaryOp, ast.Name, ast.Tuple)


def _context(node: ast.AST, parents: dict[int, tuple[ast.AST, str, int | None]]) -> ast.AST:
    while isinstance(node, SMALL) and id(node) in parents:
        node = parents[id(node)][0]
    return node


def _sites(tree: ast.AST) -> Iterator[tuple[int, ast.AST, str, str, Replace]]:
    skip = _not_literals(tree)
    parents = _parents(tree)
    for index, node in enumerate(ast.walk(tree)):
        for operator, variants in OPERATORS.items():
            if operator == "off-by-one" and id(node) in skip:
                continue
            for description, apply in variants(node):
                place = _short(_context(node, parents))
                yield index, node, operator, f"{place}: {description}", apply


def _float32_mutants(tree: ast.Module) -> Iterator[tuple[str, int, str, ast.Module]]:
    """Each top-level function's result rounded to float32, and its inputs cast to float32."""
    helper = ast.parse(FLOAT32_HELPER).body
    for position, function in enumerate(tree.body):
        if not isinstance(function, ast.FunctionDef):
            continue
        rounded = copy.deepcopy(tree)
        target = rounded.body[position]
        for node in ast.walk(target):
            if isinstance(node, ast.Return) and node.value is not None:
                node.value = ast.Call(ast.Name("_mutant_float32", ast.Load()), [node.value], [])
        rounded.body += copy.deepcopy(helper)
        yield "float32-result", function.lineno, f"{function.name}() result as float32", rounded
        names = [arg.arg for arg in function.args.args]
        if not names:
            continue
        cast = copy.deepcopy(tree)
        target = cast.body[position]
        assert isinstance(target, ast.FunctionDef)
        target.body[:0] = [ast.parse(f"{name} = _mutant_float32({name})").body[0] for name in names]
        cast.body += copy.deepcopy(helper)
        yield "float32-inputs", function.lineno, f"{function.name}() inputs as float32", cast


def mutants(source: str) -> list[Mutant]:
    """Every distinct one-change mutant of ``source``, in a stable order with stable ids."""
    tree = ast.parse(source)
    original = ast.unparse(tree)
    seen = {original}
    found: list[Mutant] = []
    ids: dict[str, int] = {}

    def add(operator: str, line: int, description: str, mutated: ast.AST) -> None:
        text = ast.unparse(mutated)
        if text in seen:
            return
        seen.add(text)
        base = f"{operator}:L{line}: {description}"
        ids[base] = ids.get(base, 0) + 1
        mutant_id = base if ids[base] == 1 else f"{base} #{ids[base]}"
        found.append(Mutant(mutant_id, operator, line, description, text + "\n"))

    for index, node, operator, description, apply in _sites(tree):
        line = getattr(node, "lineno", 0)
        try:
            mutated = _replace(tree, index, apply)
            compile(ast.unparse(mutated), "<mutant>", "exec")
        except (SyntaxError, ValueError, TypeError, AssertionError):
            continue
        add(operator, line, description, mutated)
    for operator, line, description, mutated in _float32_mutants(tree):
        add(operator, line, description, mutated)
    return found
