"""The safe expression language of indicator models.

Filters and value expressions of measures, and the formulas of derived
indicators, are written in a small language parsed here into a tree; nothing
is ever handed to ``eval``.  Allowed: names, numbers, strings, ``true`` /
``false`` / ``null``, ``+ - * /``, comparisons ``= == != <> < <= > >=``,
``and`` / ``or`` / ``not``, ``x [not] in (literal, ...)``, ``x is [not] null``
and calls of the whitelisted functions in :data:`FUNCTIONS`.  Everything else
(attribute access, subscripts, dunder names, imports, lambdas, unknown
functions, calling anything but a whitelisted name) is a located
:class:`ExprError`.

>>> parse("status = '在籍' and study_mode not in ('夜大', '函授')").names()
{'status', 'study_mode'}
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# name -> (minimum, maximum) number of arguments; None = unbounded
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "case": (3, None),  # case(cond1, value1, cond2, value2, ..., else_value)
    "if": (3, 3),  # if(cond, then_value, else_value)
    "coalesce": (2, None),
    "min": (2, None),
    "max": (2, None),
    "abs": (1, 1),
}
KEYWORDS = frozenset({"and", "or", "not", "in", "is", "null", "true", "false"})
# words of a programming language that have no place in a model expression
FORBIDDEN = frozenset({
    "import", "from", "lambda", "def", "class", "exec", "eval", "compile", "open", "getattr",
    "setattr", "globals", "locals", "vars", "for", "while", "with", "yield", "return", "del",
    "global", "nonlocal", "assert", "raise", "try", "except", "async", "await", "print",
})
COMPARISONS = {"=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class ExprError(ValueError):
    """A problem in an expression, located by character position (0-based)."""

    def __init__(self, message_zh: str, message_en: str, pos: int) -> None:
        super().__init__(f"{message_en} (at {pos})")
        self.message_zh = message_zh
        self.message_en = message_en
        self.pos = pos


# --------------------------------------------------------------------------- tree
@dataclass(frozen=True)
class Node:
    pos: int

    def children(self) -> tuple[Node, ...]:
        return ()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children():
            yield from child.walk()

    def names(self) -> set[str]:
        """Every name the expression refers to."""
        return {n.id for n in self.walk() if isinstance(n, Name)}


@dataclass(frozen=True)
class Literal(Node):
    value: object  # int | float | str | bool | None


@dataclass(frozen=True)
class Name(Node):
    id: str


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-" | "not"
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Binary(Node):
    op: str  # + - * / = != < <= > >= and or
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class InList(Node):
    operand: Node
    items: tuple[Literal, ...]
    negated: bool = False

    def children(self) -> tuple[Node, ...]:
        return (self.operand, *self.items)


@dataclass(frozen=True)
class IsNull(Node):
    operand: Node
    negated: bool = False

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args


# ---------------------------------------------------------------------- tokenizer
@dataclass(frozen=True)
class Token:
    kind: str  # num | str | name | op | end
    text: str
    pos: int
    value: object = None


_NUMBER = re.compile(r"\d+(\.\d*)?([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPS = ("<=", ">=", "==", "!=", "<>", "(", ")", ",", "+", "-", "*", "/", "=", "<", ">")
_BAD_CHARS = {
    ".": ("不允许属性访问（.）", "attribute access (.) is not allowed"),
    "[": ("不允许下标（[ ]）", "subscripts ([ ]) are not allowed"),
    "]": ("不允许下标（[ ]）", "subscripts ([ ]) are not allowed"),
    "{": ("不允许花括号", "braces are not allowed"),
    ":": ("不允许冒号（lambda、切片等）", "colons (lambda, slices) are not allowed"),
    ";": ("不允许分号", "semicolons are not allowed"),
    "@": ("不允许装饰器或矩阵运算", "'@' is not allowed"),
    "\\": ("不允许反斜杠", "backslashes are not allowed"),
}


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if m := _NUMBER.match(text, i):
            raw = m.group()
            value = float(raw) if any(c in raw for c in ".eE") else int(raw)
            tokens.append(Token("num", raw, i, value))
            i = m.end()
            if i < len(text) and (text[i].isalpha() or text[i] == "_"):
                raise ExprError("数字后紧跟名称", "a name directly after a number", i)
            continue
        if m := _NAME.match(text, i):
            word = m.group()
            _check_word(word, i)
            tokens.append(Token("name", word, i))
            i = m.end()
            continue
        if ch in "'\"":
            i = _string(text, i, tokens)
            continue
        if text.startswith("**", i):
            raise ExprError("不允许乘方运算符 **", "the power operator ** is not allowed", i)
        op = next((o for o in _OPS if text.startswith(o, i)), None)
        if op is not None:
            tokens.append(Token("op", op, i))
            i += len(op)
            continue
        zh, en = _BAD_CHARS.get(ch, (f"不允许的字符 {ch!r}", f"character {ch!r} is not allowed"))
        raise ExprError(zh, en, i)
    tokens.append(Token("end", "", len(text)))
    return tokens


def _check_word(word: str, pos: int) -> None:
    if "__" in word:
        raise ExprError(f"不允许双下划线名称 {word}", f"dunder names such as {word} are not allowed", pos)
    if word in FORBIDDEN:
        raise ExprError(f"不允许使用 {word}：模型表达式不能执行代码",
                        f"'{word}' is not allowed: a model expression cannot run code", pos)


def _string(text: str, start: int, tokens: list[Token]) -> int:
    quote = text[start]
    i = start + 1
    chars: list[str] = []
    while i < len(text):
        if text[i] == quote:
            if text.startswith(quote * 2, i):  # a doubled quote stands for itself
                chars.append(quote)
                i += 2
                continue
            tokens.append(Token("str", text[start:i + 1], start, "".join(chars)))
            return i + 1
        chars.append(text[i])
        i += 1
    raise ExprError("字符串缺少结束引号", "unterminated string", start)


# ------------------------------------------------------------------------- parser
class _Parser:
    """Recursive descent; precedence low → high: or, and, not, comparison, + -, * /, unary."""

    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, kind: str, text: str | None = None) -> bool:
        return self.tok.kind == kind and (text is None or self.tok.text == text)

    def expect(self, kind: str, text: str) -> Token:
        if not self.at(kind, text):
            raise self.unexpected(f"'{text}'")
        return self.next()

    def unexpected(self, wanted: str) -> ExprError:
        got = self.tok.text or "表达式结尾 / end of expression"
        return ExprError(f"此处应为 {wanted}，实为 {got}", f"expected {wanted}, found {got}", self.tok.pos)

    def parse(self) -> Node:
        node = self.or_expr()
        if not self.at("end"):
            if self.at("op", "("):
                raise ExprError("只能调用白名单函数", "only whitelisted functions may be called",
                                self.tok.pos)
            raise self.unexpected("运算符或结尾 / an operator or the end")
        return node

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.at("name", "or"):
            pos = self.next().pos
            node = Binary(pos, "or", node, self.and_expr())
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.at("name", "and"):
            pos = self.next().pos
            node = Binary(pos, "and", node, self.not_expr())
        return node

    def not_expr(self) -> Node:
        if self.at("name", "not"):
            pos = self.next().pos
            return Unary(pos, "not", self.not_expr())
        return self.comparison()

    def comparison(self) -> Node:
        left = self.additive()
        tok = self.tok
        if tok.kind == "op" and tok.text in COMPARISONS:
            self.next()
            node: Node = Binary(tok.pos, COMPARISONS[tok.text], left, self.additive())
            if self.tok.kind == "op" and self.tok.text in COMPARISONS:
                raise ExprError("不允许连续比较，请用 and 连接", "chained comparisons are not allowed: use 'and'",
                                self.tok.pos)
            return node
        if self.at("name", "is"):
            self.next()
            negated = self.at("name", "not") and bool(self.next())
            self.expect("name", "null")
            return IsNull(tok.pos, left, negated)
        if self.at("name", "in") or (self.at("name", "not") and self.tokens[self.i + 1].text == "in"):
            negated = self.next().text == "not"
            if negated:
                self.next()
            return InList(tok.pos, left, self.literal_list(), negated)
        return left

    def literal_list(self) -> tuple[Literal, ...]:
        self.expect("op", "(")
        items = [self.literal()]
        while self.at("op", ","):
            self.next()
            items.append(self.literal())
        self.expect("op", ")")
        return tuple(items)

    def literal(self) -> Literal:
        negative = self.at("op", "-") and bool(self.next())
        tok = self.tok
        if tok.kind == "num":
            self.next()
            return Literal(tok.pos, -tok.value if negative else tok.value)  # type: ignore[operator]
        if tok.kind == "str" and not negative:
            self.next()
            return Literal(tok.pos, tok.value)
        raise self.unexpected("数字或字符串 / a number or a string")

    def additive(self) -> Node:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            tok = self.next()
            node = Binary(tok.pos, tok.text, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in "*/":
            tok = self.next()
            node = Binary(tok.pos, tok.text, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.tok.kind == "op" and self.tok.text in "+-":
            tok = self.next()
            operand = self.unary()
            return operand if tok.text == "+" else Unary(tok.pos, "-", operand)
        return self.primary()

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind in ("num", "str"):
            self.next()
            return Literal(tok.pos, tok.value)
        if self.at("op", "("):
            self.next()
            node = self.or_expr()
            self.expect("op", ")")
            return node
        if tok.kind == "name":
            return self.name_or_call()
        raise self.unexpected("一个值 / a value")

    def name_or_call(self) -> Node:
        tok = self.next()
        word = tok.text
        constants = {"true": True, "false": False, "null": None}
        if word in constants:
            return Literal(tok.pos, constants[word])
        if word in KEYWORDS:
            raise ExprError(f"关键字 {word} 不能放在这里", f"keyword '{word}' cannot stand here", tok.pos)
        if not self.at("op", "("):
            return Name(tok.pos, word)
        if word not in FUNCTIONS:
            allowed = ", ".join(FUNCTIONS)
            raise ExprError(f"未知函数 {word}（允许: {allowed}）",
                            f"unknown function {word} (allowed: {allowed})", tok.pos)
        self.next()
        args: list[Node] = []
        if not self.at("op", ")"):
            args.append(self.or_expr())
            while self.at("op", ","):
                self.next()
                args.append(self.or_expr())
        self.expect("op", ")")
        _check_arity(word, len(args), tok.pos)
        return Call(tok.pos, word, tuple(args))


def _check_arity(func: str, count: int, pos: int) -> None:
    low, high = FUNCTIONS[func]
    if count < low or (high is not None and count > high):
        want = f"{low}" if high == low else f"≥ {low}" if high is None else f"{low}–{high}"
        raise ExprError(f"函数 {func} 需要 {want} 个参数，实为 {count} 个",
                        f"function {func} takes {want} arguments, got {count}", pos)
    if func == "case" and count % 2 == 0:
        raise ExprError("case(条件1, 值1, …, 否则值) 的参数个数应为奇数",
                        "case(cond1, value1, ..., else_value) takes an odd number of arguments", pos)


def parse(text: str) -> Node:
    """Parse ``text`` into a tree; raise :class:`ExprError` on the first problem."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("表达式为空", "empty expression", 0)
    return _Parser(text).parse()
