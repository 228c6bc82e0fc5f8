"""The C extension engine._native, from csrc/ (the scalar tape's hot loops); the rest of the
package is described in pyproject.toml.

It is optional: without a C compiler the install goes on, and the engine runs on its
pure-Python tape. The flags keep IEEE arithmetic exact (no fast-math, no fused
multiply-add), so the C loops give the Python rules' bits.
"""

from pathlib import Path

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "engine._native",
            sorted(str(path) for path in Path("csrc").glob("*.c")),
            depends=sorted(str(path) for path in Path("csrc").glob("*.h")),
            extra_compile_args=["-O2", "-ffp-contract=off", "-fno-fast-math", "-std=c11"],
            optional=True,
        )
    ]
)
