"""Indicator formulas: parsed once into a small whitelisted AST, evaluated without eval().

Allowed: input codes (names), numbers, + - * /, unary minus and parentheses. Anything
else (calls, attributes, power, comparisons), a division by a constant zero, or a formula
too long to be a methodology's, is an error for the executor to fix.

A ``Formula`` is a value: two formulas with the same text are equal. ``evaluate`` works in
exact fractions, so that 68,565 / 70 × 100 is 97,95 and not 97,94999….
"""

from __future__ import annotations

import ast
import operator
from fractions import Fraction

from .notation import exact

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}

# The methodology's longest formula has a dozen terms; far longer text is a mistake, and
# Python's parser would exhaust the stack on a few thousand nested terms.
MAX_LENGTH = 500


class FormulaError(ValueError):
    """The formula text is not an arithmetic expression over input codes."""


class Formula:
    __slots__ = ("text", "names", "_tree")

    def __init__(self, text: str):
        self.text = text
        if len(text) > MAX_LENGTH:
            raise FormulaError(f"формула длиннее {MAX_LENGTH} знаков: разбейте расчёт или проверьте текст")
        source = text.replace("×", "*").replace("÷", "/").replace(",", ".")
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except (SyntaxError, RecursionError, MemoryError) as exc:
            raise FormulaError(f"синтаксическая ошибка в формуле «{text}»") from exc
        self._check(tree.body)
        self._tree = tree.body
        self.names = tuple(sorted({n.id for n in ast.walk(tree.body) if isinstance(n, ast.Name)}))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formula) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"

    def __reduce__(self):  # worker processes get the text and parse it again
        return (Formula, (self.text,))

    def _check(self, node: ast.AST) -> None:
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            self._check(node.left)
            self._check(node.right)
            if isinstance(node.op, ast.Div) and _always_zero(self, node.right):
                raise FormulaError(f"деление на ноль в формуле «{self.text}»: {ast.unparse(node)}")
        elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            self._check(node.operand)
        elif isinstance(node, ast.Name):
            pass
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
            pass
        else:
            raise FormulaError(f"недопустимая конструкция в формуле «{self.text}»: {ast.unparse(node)}")

    def evaluate(self, values: dict[str, float | Fraction]) -> Fraction:
        """Exactly. Raises KeyError for a missing input and ZeroDivisionError for a zero denominator."""
        return self._eval(self._tree, {k: exact(v) for k, v in values.items()})

    def _eval(self, node: ast.AST, values: dict[str, Fraction]) -> Fraction:
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](self._eval(node.left, values), self._eval(node.right, values))
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](self._eval(node.operand, values))
        if isinstance(node, ast.Name):
            return values[node.id]
        return exact(node.value)


# Values a denominator is tried with: one that is 0 for all of them is 0 whatever the inputs.
_PROBES = (Fraction(1), Fraction(7, 3), Fraction(-13, 5))


def _always_zero(formula: Formula, node: ast.AST) -> bool:
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    try:
        return all(formula._eval(node, dict.fromkeys(names, probe)) == 0 for probe in _PROBES)
    except ZeroDivisionError:
        return False
