"""Long responses tell the server they are still making progress.

gunicorn's sync workers prove they are alive between requests only, so a response that
takes longer than the timeout to send (a national Meeting Guide feed) is killed half-way,
however steadily it is going. gunicorn.conf.py hands each worker's heartbeat to
`set_heartbeat`; a streaming view calls `still_working()` after each piece it sends. A
request that makes no progress is still stopped at the timeout.
"""

_heartbeat = None


def set_heartbeat(callback):
    global _heartbeat
    _heartbeat = callback


def still_working():
    if _heartbeat is not None:
        _heartbeat()
