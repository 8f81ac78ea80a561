"""Indicator formulas: parsed once into a small whitelisted AST, evaluated without eval().

Allowed: input codes (names), numbers, + - * /, unary minus and parentheses. Anything
else (calls, attributes, power, comparisons) is a syntax error for the executor to fix.
"""

from __future__ import annotations

import ast
import operator

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


class FormulaError(ValueError):
    """The formula text is not an arithmetic expression over input codes."""


class Formula:
    def __init__(self, text: str):
        self.text = text
        source = text.replace("×", "*").replace("÷", "/").replace(",", ".")
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except SyntaxError as exc:
            raise FormulaError(f"синтаксическая ошибка в формуле «{text}»") from exc
        self._check(tree.body)
        self._tree = tree.body
        self.names = sorted({n.id for n in ast.walk(tree.body) if isinstance(n, ast.Name)})

    def _check(self, node: ast.AST) -> None:
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            self._check(node.left)
            self._check(node.right)
        elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            self._check(node.operand)
        elif isinstance(node, ast.Name):
            pass
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
            pass
        else:
            raise FormulaError(f"недопустимая конструкция в формуле «{self.text}»: {ast.unparse(node)}")

    def evaluate(self, values: dict[str, float]) -> float:
        """Raises KeyError for a missing input and ZeroDivisionError for a zero denominator."""
        return self._eval(self._tree, values)

    def _eval(self, node: ast.AST, values: dict[str, float]) -> float:
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](self._eval(node.left, values), self._eval(node.right, values))
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](self._eval(node.operand, values))
        if isinstance(node, ast.Name):
            return values[node.id]
        return node.value
