"""The two arithmetic back ends a gate's rules are written against.

A gate row says ``k.exp(a)``; the evaluator hands it `SCALAR` when every input
of that gate is a plain float (fast, and `math` raises on overflow and domain
errors) and `TENSOR` when any input is a numpy array. Both back ends offer the
same names, so each rule is written once.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

Value = Any  # a float, or a numpy array of float64


class _Scalar:
    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    tanh = staticmethod(math.tanh)
    pow = staticmethod(math.pow)

    @staticmethod
    def sigmoid(a: float) -> float:
        if a >= 0:
            return 1.0 / (1.0 + math.exp(-a))
        e = math.exp(a)
        return e / (1.0 + e)

    @staticmethod
    def maximum(a: float, b: float) -> float:
        return a if a >= b else b

    @staticmethod
    def minimum(a: float, b: float) -> float:
        return a if a <= b else b

    @staticmethod
    def ge(a: float, b: float) -> float:
        return 1.0 if a >= b else 0.0

    @staticmethod
    def gt(a: float, b: float) -> float:
        return 1.0 if a > b else 0.0

    @staticmethod
    def total(a: float) -> float:
        return a


class _Tensor:
    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    tanh = staticmethod(np.tanh)
    pow = staticmethod(np.power)
    maximum = staticmethod(np.maximum)
    minimum = staticmethod(np.minimum)

    @staticmethod
    def sigmoid(a: Value) -> Value:
        e = np.exp(-np.abs(a))
        return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    @staticmethod
    def ge(a: Value, b: Value) -> Value:
        return np.greater_equal(a, b).astype(np.float64)

    @staticmethod
    def gt(a: Value, b: Value) -> Value:
        return np.greater(a, b).astype(np.float64)

    @staticmethod
    def total(a: Value) -> float:
        return float(np.sum(a))


SCALAR = _Scalar()
TENSOR = _Tensor()
Kernels = _Scalar | _Tensor
