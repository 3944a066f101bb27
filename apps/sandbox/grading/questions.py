"""Concept checks: short questions inside a lesson, answered without code, graded here.

A lesson's ``<slug>.questions.py`` (trusted content) defines ``questions()``, a mapping of
name -> a function that takes a NumPy Generator (seeded per learner) and returns one of::

    Number(prompt, answer, tolerance=1e-3, abs_tolerance=1e-6, wrong=[...], explanation="")
    Vector(prompt, answer, ..., ordered=True)       # ordered=False: a set (eigenvalues...)
    Matrix(prompt, answer, ...)
    Choice(prompt, options, answer, wrong=[...], explanation="")   # answer: an option index

``wrong`` lists known wrong answers (``Wrong(value, message)``), each matched with the same
tolerance and answered with its own message. A question drops, as it is built, a known wrong
answer that no learner could reach: one within its tolerance of the answer or of an earlier
kept one (random numbers make two mistakes coincide now and then), or one that is not finite;
so a builder lists every mistake it anticipates and need not filter them itself
(:func:`distinct_wrongs` filters with a wider margin). The Markdown refers to a question by
name on a line of its own: ``{{ question: name }}``.

Learners type numbers as short arithmetic (``2/3``, ``sqrt(2)/2``, ``e^-1``, ``pi/4``):
:func:`parse_number` evaluates a whitelist of syntax on floats, within caps, and never calls
``eval``. Vectors are numbers separated by commas (or spaces), matrices rows separated by
``;`` or new lines, or either in brackets. No Django here: content imports it.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

MAX_ANSWER_CHARS = 2000  # a typed answer (a 6 x 6 matrix of expressions fits)
MAX_EXPRESSION_CHARS = 200  # one number's expression
MAX_EXPRESSION_NODES = 60
MAX_EXPONENT = 1000.0
MAX_ENTRIES = 64  # numbers in one vector or matrix answer
QUESTION_POINTS = 1  # each concept check's weight in a module's mastery (an exercise: 10)
TRIES_PER_VARIANT = 3  # wrong answers before the answer is shown and the numbers change

Kind = Literal["number", "vector", "matrix", "choice"]


class AnswerError(ValueError):
    """A typed answer that cannot be read; the message says what to type instead."""


@dataclass(frozen=True)
class Wrong:
    """A known wrong answer and what to tell the learner who gives it."""

    value: Any
    message: str


@dataclass(frozen=True)
class Number:
    prompt: str
    answer: float
    tolerance: float = 1e-3  # relative
    abs_tolerance: float = 1e-6
    wrong: Sequence[Wrong] = ()
    explanation: str = ""
    kind: Kind = field(default="number", init=False)

    def __post_init__(self) -> None:
        _keep_reachable_wrongs(self)


@dataclass(frozen=True)
class Vector:
    prompt: str
    answer: Sequence[float]
    tolerance: float = 1e-3
    abs_tolerance: float = 1e-6
    wrong: Sequence[Wrong] = ()
    explanation: str = ""
    ordered: bool = True
    kind: Kind = field(default="vector", init=False)

    def __post_init__(self) -> None:
        _keep_reachable_wrongs(self)


@dataclass(frozen=True)
class Matrix:
    prompt: str
    answer: Sequence[Sequence[float]]
    tolerance: float = 1e-3
    abs_tolerance: float = 1e-6
    wrong: Sequence[Wrong] = ()
    explanation: str = ""
    kind: Kind = field(default="matrix", init=False)

    def __post_init__(self) -> None:
        _keep_reachable_wrongs(self)


@dataclass(frozen=True)
class Choice:
    prompt: str
    options: Sequence[str]
    answer: int
    wrong: Sequence[Wrong] = ()  # Wrong(option index, message)
    explanation: str = ""
    kind: Kind = field(default="choice", init=False)

    def __post_init__(self) -> None:
        # An option that is the answer, or was named before, never reaches its message.
        seen = {self.answer}
        kept = []
        for wrong in self.wrong:
            if int(wrong.value) not in seen:
                seen.add(int(wrong.value))
                kept.append(wrong)
        object.__setattr__(self, "wrong", tuple(kept))


Question = Number | Vector | Matrix | Choice
QuestionBuilder = Callable[[np.random.Generator], Question]


@dataclass(frozen=True)
class Feedback:
    """How an answer was graded. ``valid`` is False when it could not be read at all (that
    is not counted as an attempt); ``normalized`` is the answer as stored."""

    valid: bool
    correct: bool
    message: str
    normalized: str = ""


# ----- reading numbers ----------------------------------------------------------------------

_CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau}
_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sqrt": math.sqrt,
    "exp": math.exp,
    "log": math.log,
    "ln": math.log,
    "log2": math.log2,
    "log10": math.log10,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "abs": abs,
}
_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_REPLACEMENTS = {"^": "**", "−": "-", "×": "*", "·": "*", "÷": "/", "π": "pi", "√": "sqrt"}


def _power(base: float, exponent: float) -> float:
    if abs(exponent) > MAX_EXPONENT:
        raise AnswerError("that exponent is too large")
    return math.pow(base, exponent)


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            raise AnswerError("type a number")
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in _CONSTANTS:
        return _CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _evaluate(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return _power(_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and len(node.args) == 1
        and not node.keywords
    ):
        return float(_FUNCTIONS[node.func.id](_evaluate(node.args[0])))
    raise AnswerError(
        "use numbers, + - * / ^, brackets, pi, e and sqrt, exp, log, sin, cos, tan, abs"
    )


def parse_number(text: str) -> float:
    """A number typed as short arithmetic (``-1/3``, ``sqrt(2)/2``, ``2e-3``, ``e^-1``)."""
    source = text.strip()
    if not source:
        raise AnswerError("the answer is empty")
    if len(source) > MAX_EXPRESSION_CHARS:
        raise AnswerError(f"a number is at most {MAX_EXPRESSION_CHARS} characters")
    for old, new in _REPLACEMENTS.items():
        source = source.replace(old, new)
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise AnswerError(f"{text.strip()!r} is not a number or an expression") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_EXPRESSION_NODES:
        raise AnswerError("that expression is too long")
    try:
        value = _evaluate(tree.body)
    except (ZeroDivisionError, OverflowError, ValueError) as exc:
        if isinstance(exc, AnswerError):
            raise
        raise AnswerError(f"{text.strip()!r} has no value ({exc})") from None
    if not math.isfinite(value):
        raise AnswerError(f"{text.strip()!r} is not a finite number")
    return value


def _split_top_level(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _strip_brackets(text: str) -> str:
    text = text.strip()
    while len(text) >= 2 and text[0] in "[(" and text[-1] in "])":
        inner = text[1:-1]
        # "(1+2)*(3)" must keep its brackets: strip only a pair that encloses everything.
        if _balanced(inner):
            text = inner.strip()
        else:
            break
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += char in "[("
        depth -= char in "])"
        if depth < 0:
            return False
    return depth == 0


def parse_vector(text: str) -> list[float]:
    """Numbers separated by commas (or, with no comma, by spaces), optionally in brackets."""
    body = _strip_brackets(text)
    parts = _split_top_level(body, ",") if "," in body else body.split()
    if not parts:
        raise AnswerError("the answer is empty")
    if len(parts) > MAX_ENTRIES:
        raise AnswerError(f"at most {MAX_ENTRIES} numbers")
    return [parse_number(part) for part in parts]


def parse_matrix(text: str) -> list[list[float]]:
    """Rows separated by ``;`` or new lines, or ``[[1, 2], [3, 4]]``."""
    body = text.strip()
    if body.startswith("[[") or body.startswith("(("):
        inner = _strip_brackets(body)
        rows_text = [
            _strip_brackets(row)
            for row in _split_top_level(inner.replace("[", "(").replace("]", ")"), ",")
        ]
    else:
        rows_text = [row for row in re.split(r"[;\n]", body) if row.strip()]
    rows = [parse_vector(row) for row in rows_text]
    if not rows:
        raise AnswerError("the answer is empty")
    if len({len(row) for row in rows}) != 1:
        raise AnswerError("every row needs the same number of entries")
    if sum(len(row) for row in rows) > MAX_ENTRIES:
        raise AnswerError(f"at most {MAX_ENTRIES} numbers")
    return rows


# ----- grading ------------------------------------------------------------------------------


def _within(
    value: np.ndarray[Any, Any],
    target: np.ndarray[Any, Any],
    tolerance: float,
    abs_tolerance: float,
) -> bool:
    if value.shape != target.shape:
        return False
    return bool(
        np.all(np.abs(value - target) <= np.maximum(abs_tolerance, tolerance * np.abs(target)))
    )


def _close(value: np.ndarray[Any, Any], target: np.ndarray[Any, Any], q: Question) -> bool:
    assert not isinstance(q, Choice)
    return _within(value, target, q.tolerance, q.abs_tolerance)


def distinct_wrongs(
    answer: Any,
    wrong: Sequence[Wrong],
    *,
    tolerance: float,
    abs_tolerance: float,
    ordered: bool = True,
) -> tuple[Wrong, ...]:
    """The known wrong answers that differ clearly from ``answer`` and from every earlier kept
    one: by more than ``abs_tolerance + tolerance * |other|`` in some entry (numpy.allclose's
    test). A non-finite one is dropped too: no learner can type it.

    Every question already drops the wrong answers within its own tolerance as it is built;
    call this for a wider margin, when a learner's rounding could confuse two mistakes (or a
    mistake and the answer) that the tolerance still tells apart. ``ordered=False`` compares
    values as sets.
    """
    return _kept_wrongs(
        answer,
        wrong,
        lambda value, other: (
            value.shape == other.shape
            and bool(np.all(np.abs(value - other) <= abs_tolerance + tolerance * np.abs(other)))
        ),
        ordered=ordered,
    )


def _kept_wrongs(
    answer: Any,
    wrong: Sequence[Wrong],
    same: Callable[[np.ndarray[Any, Any], np.ndarray[Any, Any]], bool],
    *,
    ordered: bool,
) -> tuple[Wrong, ...]:
    """``wrong`` without the non-finite values and those ``same`` as the answer or as a value
    kept before them (an earlier one is matched first, so the later message would never show)."""

    def array(value: Any) -> np.ndarray[Any, Any]:
        values = np.asarray(value, dtype=float)
        return values if ordered else np.sort(values)

    taken = [array(answer)]
    kept = []
    for mistake in wrong:
        value = array(mistake.value)
        if np.all(np.isfinite(value)) and not any(same(value, other) for other in taken):
            kept.append(mistake)
            taken.append(value)
    return tuple(kept)


def _keep_reachable_wrongs(q: Number | Vector | Matrix) -> None:
    """Drop, from a question being built, the known wrong answers no learner can reach: a
    value graded as the answer, or as an earlier wrong answer, under the question's tolerance."""
    try:
        answer = np.asarray(q.answer, dtype=float)
    except (TypeError, ValueError):
        return  # question_problems reports a non-numeric answer
    kept = _kept_wrongs(
        answer,
        q.wrong,
        lambda value, other: _within(value, other, q.tolerance, q.abs_tolerance),
        ordered=not isinstance(q, Vector) or q.ordered,
    )
    object.__setattr__(q, "wrong", kept)


def _as_array(value: Any, q: Question) -> np.ndarray[Any, Any]:
    array = np.asarray(value, dtype=float)
    if isinstance(q, Vector) and not q.ordered:
        array = np.sort(array)
    return array


def format_number(value: float) -> str:
    return f"{value:.6g}"


def format_answer(q: Question, value: Any = None) -> str:
    """An answer (the correct one by default) written the way a learner would type it."""
    value = q.answer if value is None else value
    if isinstance(q, Choice):
        return str(int(value))
    if isinstance(q, Number):
        return format_number(float(value))
    if isinstance(q, Vector):
        return ", ".join(format_number(float(v)) for v in value)
    return "; ".join(", ".join(format_number(float(v)) for v in row) for row in value)


def _read(q: Question, raw: Any) -> Any:
    """The learner's answer as a number, a list, a list of rows or an option index."""
    if isinstance(raw, str) and len(raw) > MAX_ANSWER_CHARS:
        raise AnswerError(f"an answer is at most {MAX_ANSWER_CHARS} characters")
    if isinstance(q, Choice):
        try:
            index = int(str(raw).strip())
        except ValueError:
            raise AnswerError("pick one of the options") from None
        if not 0 <= index < len(q.options):
            raise AnswerError("pick one of the options")
        return index
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | list):
        raise AnswerError("type the answer as text")
    text = raw if isinstance(raw, str) else repr(raw)
    if isinstance(q, Number):
        return parse_number(text)
    if isinstance(q, Vector):
        return parse_vector(text)
    return parse_matrix(text)


def _shape_message(q: Question, answer: np.ndarray[Any, Any], target: np.ndarray[Any, Any]) -> str:
    if isinstance(q, Vector):
        return (
            f"Your answer has {answer.size} number{'s' * (answer.size != 1)}; "
            f"the question asks for {target.size}."
        )
    rows, cols = target.shape
    got = "x".join(str(n) for n in answer.shape)
    return f"Your answer is a {got} matrix; the question asks for a {rows}x{cols} matrix."


def grade(q: Question, raw: Any) -> Feedback:
    """Grade a typed (or JSON) answer to ``q``: correct, a known mistake, or not quite."""
    try:
        value = _read(q, raw)
    except AnswerError as exc:
        return Feedback(
            valid=False, correct=False, message=f"That answer could not be read: {exc}."
        )
    normalized = format_answer(q, value)
    if isinstance(q, Choice):
        if value == q.answer:
            return Feedback(True, True, _correct(q), normalized)
        for wrong in q.wrong:
            if int(wrong.value) == value:
                return Feedback(True, False, wrong.message, normalized)
        return Feedback(True, False, "Not that one.", normalized)
    answer, target = _as_array(value, q), _as_array(q.answer, q)
    if answer.shape != target.shape and not isinstance(q, Number):
        # The wrong shape is a typing slip, not a wrong answer: refused, costing no try.
        return Feedback(False, False, _shape_message(q, answer, target), normalized)
    if _close(answer, target, q):
        return Feedback(True, True, _correct(q), normalized)
    for wrong in q.wrong:
        wrong_value = _as_array(wrong.value, q)
        if _close(answer, wrong_value, q):
            return Feedback(True, False, wrong.message, normalized)
    return Feedback(True, False, _near_miss(q, answer, target), normalized)


def _near_miss(q: Question, answer: np.ndarray[Any, Any], target: np.ndarray[Any, Any]) -> str:
    """The message for a wrong answer that is no known mistake: what is close, if anything."""
    if isinstance(q, Vector) and q.ordered and _close(np.sort(answer), np.sort(target), q):
        return "Right values, wrong order: list them in the order the question asks for."
    digits = significant_digits(q) if isinstance(q, Number) else None
    if digits and _rounded_too_far(float(answer), float(target)):
        return f"Close, but rounded too far: give the answer to {digits} significant digits."
    return "Not quite."


CLOSE_RELATIVE = 0.01  # a number this close to the answer (but outside tolerance) is "close"


def significant_digits(q: Number) -> int | None:
    """How many significant digits keep an answer to ``q`` within its relative tolerance
    (None for a question graded with an absolute tolerance only: its prompt says how)."""
    if q.tolerance <= 0:
        return None
    return max(2, math.ceil(-math.log10(q.tolerance)) + 1)


def _significant(value: float, digits: int, cut: bool) -> float:
    scale = 10 ** (digits - 1 - math.floor(math.log10(abs(value))))
    return float((math.trunc(value * scale) if cut else round(value * scale)) / scale)


def _rounded_too_far(answer: float, exact: float) -> bool:
    """The answer is within 1% of ``exact``, or is ``exact`` rounded or cut to fewer digits."""
    if exact == 0 or answer == 0:
        return False
    if abs(answer - exact) <= CLOSE_RELATIVE * abs(exact):
        return True
    return any(
        math.isclose(answer, _significant(exact, digits, cut), rel_tol=1e-9)
        for digits in range(1, 4)
        for cut in (False, True)
    )


def precision_note(q: Question) -> str:
    """The sentence a Number question's prompt ends with: the precision it expects."""
    digits = significant_digits(q) if isinstance(q, Number) else None
    return f"Give the answer to {digits} significant digits." if digits else ""


def _correct(q: Question) -> str:
    return f"Correct. {q.explanation}".strip()


def reveal_message(q: Question) -> str:
    """What the learner reads when the answer is shown (after too many tries)."""
    shown = q.options[q.answer] if isinstance(q, Choice) else format_answer(q)
    text = f"The answer was {shown}."
    if q.explanation:
        text += f" {q.explanation}"
    return text + " Here are new numbers to try."


# ----- validating content ------------------------------------------------------------------


def _choice_problems(q: Choice) -> list[str]:
    problems = []
    if not 2 <= len(q.options) <= 8:
        problems.append("a choice needs 2 to 8 options")
    if not 0 <= q.answer < len(q.options):
        problems.append(f"answer {q.answer} is not an option index")
    return problems


def _numeric_problems(q: Number | Vector | Matrix) -> list[str]:
    try:
        target = np.asarray(q.answer, dtype=float)
    except (TypeError, ValueError):
        return [f"the answer {q.answer!r} is not numeric"]
    # A known wrong answer within tolerance of the answer was dropped as q was built.
    return [] if np.all(np.isfinite(target)) else ["the answer is not finite"]


def question_problems(q: Any) -> list[str]:
    """What is wrong with a built question (empty when it is sound); check_content runs it."""
    if not isinstance(q, Number | Vector | Matrix | Choice):
        return [f"returned {type(q).__name__}, not Number, Vector, Matrix or Choice"]
    problems = [] if q.prompt.strip() else ["the prompt is empty"]
    problems += _choice_problems(q) if isinstance(q, Choice) else _numeric_problems(q)
    if problems:
        return problems
    typed = grade(q, format_answer(q))
    if not typed.correct:
        problems.append(
            f"the answer typed as {format_answer(q)!r} is not graded correct ({typed.message})"
        )
    for wrong in q.wrong:
        feedback = grade(q, format_answer(q, wrong.value))
        if feedback.correct or feedback.message != wrong.message:
            problems.append(f"known wrong answer {wrong.value!r} does not get its message")
    return problems


def builders_of(module: Any) -> Mapping[str, QuestionBuilder]:
    """The ``questions()`` mapping of a loaded questions module, checked for shape."""
    make = getattr(module, "questions", None)
    if not callable(make):
        raise TypeError("defines no questions() function")
    built = make()
    if not isinstance(built, Mapping) or not all(
        isinstance(name, str) and callable(fn) for name, fn in built.items()
    ):
        raise TypeError("questions() must return {name: function(rng) -> question}")
    return built
