"""Attacks on the expression parser, each named. An expression is never handed to Python:
anything outside the whitelist (numbers, names, + - * / ** ^ @ ( ) ,) is refused."""

from __future__ import annotations

import pytest

import engine
from engine import errors


def refused(expression: str) -> errors.CircuitError:
    with pytest.raises(errors.CircuitError) as caught:
        engine.parse(expression)
    return caught.value


def test_dunder_import_is_refused() -> None:
    error = refused("__import__('os').system('true')")
    assert error.position == 0 and "unknown function '__import__'" in error.msg


def test_dunder_name_alone_is_refused() -> None:
    error = refused("__builtins__")
    assert error.position == 0 and "'__'" in error.msg


def test_attribute_access_is_refused() -> None:
    error = refused("x.__class__")
    assert error.position == 1 and "attribute" in error.msg


def test_mro_breakout_is_refused() -> None:
    assert refused("().__class__.__mro__[1].__subclasses__()").type == "parse_error"


def test_lambda_is_refused() -> None:
    assert "keyword" in refused("lambda: 1").msg


def test_string_literals_are_refused() -> None:
    assert "strings" in refused("'a' * 10**9").msg


def test_calling_eval_is_an_unknown_function() -> None:
    assert "unknown function 'eval'" in refused("eval('1')").msg


def test_calling_open_is_an_unknown_function() -> None:
    assert "unknown function 'open'" in refused("open(x)").msg


def test_subscripts_are_refused() -> None:
    assert "indexing" in refused("x[0]").msg


def test_walrus_assignment_is_refused() -> None:
    assert refused("(y := 1)").position == 3


def test_comparison_chains_are_refused() -> None:
    assert refused("x == x").position == 2


def test_huge_power_of_constants_is_refused_not_computed() -> None:
    assert "Power: its value is too large to represent" in refused("9 ** 9 ** 9").msg


def test_semicolons_and_newlines_do_not_start_statements() -> None:
    assert refused("x; import os").position == 1
    assert refused("x\nimport os").type == "parse_error"


def test_unicode_lookalike_operators_are_refused() -> None:
    assert refused("x − y").position == 2


def test_thousands_of_unclosed_parentheses_fail_cleanly() -> None:
    assert refused("(" * 9000).type == "parse_error"


@pytest.mark.parametrize("digit", ["١", "٢", "९", "１", "𝟏"])  # Arabic-Indic, Devanagari, wide...
def test_non_ascii_digits_are_refused_not_read_as_numbers(digit: str) -> None:
    error = refused(f"{digit}+1")
    assert isinstance(error, errors.ParseError)
    assert error.position == 0 and repr(digit) in error.msg


def test_non_ascii_digit_after_ascii_ones_is_refused() -> None:
    error = refused("12١ + 1")
    assert error.position == 2
