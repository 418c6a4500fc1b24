"""recovery_directory/framestack.py: deep call stacks that stay in one chunk of frame memory."""

import resource
import sys

import pytest

from recovery_directory.framestack import run_deep

# A function whose frame takes about 1.7 KB: sixty calls deep is about 100 KB of frames,
# across several of CPython's 16 KiB chunks.
_names = " = ".join(f"v{n}" for n in range(200))
_namespace = {}
exec(  # noqa: S102
    f"def fat(depth):\n    {_names} = None\n    return fat(depth - 1) if depth else 0\n",
    _namespace,
)
fat = _namespace["fat"]


def swing(times):
    """Go sixty frames deep and back, `times` times."""
    for _ in range(times):
        fat(60)


def page_faults(function, *args):
    """Pages this thread touched for the first time while `function` ran."""
    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    function(*args)
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before


def test_calls_through_with_the_arguments_and_the_result():
    assert run_deep(dict, [("a", 1)], b=2) == {"a": 1, "b": 2}
    assert run_deep(lambda function: function, "passed by position") == "passed by position"


def test_an_exception_comes_through_unchanged():
    def fails():
        raise LookupError("inside")

    with pytest.raises(LookupError, match="inside"):
        run_deep(fails)


def test_deep_calls_inside_touch_no_fresh_memory():
    # Without run_deep, CPython 3.11 to 3.13 unmap and map a chunk at each crossing of a
    # chunk's edge, and the pages come back zeroed: thousands of page faults for this loop.
    run_deep(swing, 1)  # pages of the code and objects used, touched once
    assert run_deep(page_faults, swing, 2000) < 100


def test_the_tests_themselves_run_inside_the_deep_frame():
    """tests/conftest.py runs the session's loop under run_deep, as the gunicorn worker does."""
    frame = sys._getframe()
    codes = set()
    while frame is not None:
        codes.add(frame.f_code)
        frame = frame.f_back
    assert run_deep.__code__ in codes
