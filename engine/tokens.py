"""The expression tokenizer: a whitelist of numbers (ASCII digits only), names and

Anything else ends the token list with an "error" token at its position; the parser
raises when it reaches it, so an earlier mistake is reported first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine import errors

_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^@(),]))"
)


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "name", "op" or "end"
    text: str
    position: int


def tokenize(expression: str) -> list[Token]:
    """The expression's tokens, up to an "error" token at the first character outside
    the vocabulary."""
    tokens, at, end = [], 0, len(expression.rstrip())
    while at < end:
        match = _TOKEN.match(expression, at)
        if match is None or match.lastgroup is None:
            # the parser raises when it reaches this token, so earlier errors come first
            start = len(expression) - len(expression[at:].lstrip())
            tokens.append(Token("error", expression[start], start))
            break
        kind = match.lastgroup
        tokens.append(Token(kind, match.group(kind), match.start(kind)))
        at = match.end()
    tokens.append(Token("end", "", len(expression)))
    return tokens


def unexpected_character(char: str, at: int) -> errors.ParseError:
    hint = {
        ".": ": attribute access is not allowed",
        "[": ": indexing is not allowed",
        "'": ": strings are not allowed",
        '"': ": strings are not allowed",
        ":": ": lambdas and slices are not allowed",
        "=": ": assignment and comparison are not allowed",
    }.get(char, "")
    return syntax_error(f"unexpected character {char!r} at position {at}{hint}", at)


def syntax_error(msg: str, position: int) -> errors.ParseError:
    return errors.ParseError(msg, loc=("expression",), position=position)
