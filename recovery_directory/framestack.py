"""Deep call stacks without a system call at every turn (CPython 3.11 to 3.13, at least).

CPython keeps its Python frames in chunks of 16 KiB that it maps from the operating system,
and unmaps a chunk as soon as the frame at its start returns. A request through Django's
middleware, view and nested templates is several chunks deep and crosses their edges back and
forth, mapping and unmapping memory each time: a system call, fresh zeroed pages and, in a
process with threads, a flush of every core's address cache. That was about a dozen times a
request in a gunicorn worker, and hundreds under the test runner's own frames.
The first pass of the test suite spent 18 s of its 138 s of CPU there (docs/performance.md).

`run_deep` calls a function under one frame large enough that CPython gives that frame a
chunk of its own with as much room again behind it. Whatever runs inside, to several hundred
frames deep, stays in that chunk, which lives as long as the call. Long-lived loops run under
it once (the gunicorn worker, the test session), never once per request.
"""

# About 131 KB of frame: CPython rounds the chunk up to 256 KiB, leaving some 125 KB for the
# frames called inside (a page through the whole stack uses about 56 KB). Only the frame's
# variables are written when it starts, once per loop.
_SLOTS = 16_400


def _make_run_deep():
    variables = " = ".join(f"_{n}" for n in range(_SLOTS))
    source = (
        "def run_deep(function, /, *args, **kwargs):\n"
        "    if function is None:  # never true: the variables only make the frame large\n"
        f"        {variables} = None\n"
        "    return function(*args, **kwargs)\n"
    )
    namespace = {}
    exec(compile(source, __name__, "exec"), namespace)  # noqa: S102
    run_deep = namespace["run_deep"]
    run_deep.__doc__ = "function(*args, **kwargs), called inside one large frame (see above)."
    run_deep.__module__ = __name__
    return run_deep


run_deep = _make_run_deep()
