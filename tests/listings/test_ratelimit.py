import pytest
from django.core.cache import cache
from django.test import RequestFactory

from listings import ratelimit

WINDOW = 3600
# An hour boundary, as a Unix time: windows are counted from the epoch.
BOUNDARY = 1_700_002_800


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def post_from(address):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def hits(address, times, *, at, limit=3, scope="test"):
    return [
        ratelimit.hit(post_from(address), scope=scope, limit=limit, window=WINDOW, now=at)
        for _ in range(times)
    ]


def test_the_limit_lets_that_many_through_then_refuses():
    outcomes = hits("192.0.2.1", 5, at=BOUNDARY + 600)
    assert outcomes[:3] == [0, 0, 0]
    assert all(wait > 0 for wait in outcomes[3:])


def test_addresses_and_scopes_are_counted_apart():
    hits("192.0.2.1", 3, at=BOUNDARY + 600)
    assert hits("192.0.2.2", 1, at=BOUNDARY + 600) == [0]
    assert hits("192.0.2.1", 1, at=BOUNDARY + 600, scope="other") == [0]
    assert hits("192.0.2.1", 1, at=BOUNDARY + 600)[0] > 0


def test_a_window_boundary_does_not_reset_the_count():
    # Three just before the hour; just after it they still weigh almost in full.
    assert hits("192.0.2.1", 3, at=BOUNDARY - 5) == [0, 0, 0]
    assert hits("192.0.2.1", 1, at=BOUNDARY + 5)[0] > 0


def test_the_previous_window_weighs_less_as_it_slides_away():
    hits("192.0.2.1", 3, at=BOUNDARY - 60)
    # Two thirds into the next window, a third of the three still counts: one more fits.
    assert hits("192.0.2.1", 1, at=BOUNDARY + 2 * WINDOW // 3 + 1) == [0]


def test_counts_older_than_two_windows_are_forgotten():
    hits("192.0.2.1", 5, at=BOUNDARY - 60)
    assert hits("192.0.2.1", 3, at=BOUNDARY + WINDOW + 60) == [0, 0, 0]


def test_the_wait_is_when_a_submission_would_fit_again():
    hits("192.0.2.1", 3, at=BOUNDARY + 600)
    (wait,) = hits("192.0.2.1", 1, at=BOUNDARY + 600)
    # Four counted this window: in the next one a submission fits once the four weigh
    # no more than two (limit 3, less the new one), half-way through it.
    assert wait == (WINDOW - 600) + WINDOW // 2
    assert hits("192.0.2.1", 1, at=BOUNDARY + 600 + wait - 1)[0] > 0
    cache.clear()
    hits("192.0.2.1", 4, at=BOUNDARY + 600)
    assert hits("192.0.2.1", 1, at=BOUNDARY + 600 + wait) == [0]


def test_the_wait_within_the_window_as_the_previous_one_fades():
    hits("192.0.2.1", 2, at=BOUNDARY - 60)
    hits("192.0.2.1", 1, at=BOUNDARY + 60)
    # Now 2 from before (weighing 2 * 59/60) and 2 from this window: over the limit of 3.
    (wait,) = hits("192.0.2.1", 1, at=BOUNDARY + 60)
    # The two counted now leave no room while the two before still weigh anything; in the
    # next window these two weigh in turn, and one more fits once they weigh two or less:
    # at its start.
    assert wait == WINDOW - 60
    assert hits("192.0.2.1", 1, at=BOUNDARY + WINDOW) == [0]


def test_a_wait_inside_the_window():
    assert hits("192.0.2.1", 5, at=BOUNDARY - 60, limit=5) == [0] * 5
    # 1 now + 5 weighing 5 * 59/60: over 5. One more fits once the five weigh 3, when
    # two fifths of this window have passed.
    (wait,) = hits("192.0.2.1", 1, at=BOUNDARY + 60, limit=5)
    assert wait == 2 * WINDOW // 5 - 60
    assert hits("192.0.2.1", 1, at=BOUNDARY + 60 + wait - 1, limit=5)[0] > 0
    cache.clear()
    hits("192.0.2.1", 5, at=BOUNDARY - 60, limit=5)
    hits("192.0.2.1", 1, at=BOUNDARY + 60, limit=5)
    assert hits("192.0.2.1", 1, at=BOUNDARY + 60 + wait, limit=5) == [0]


def test_no_limit_counts_nothing():
    assert hits("192.0.2.1", 20, at=BOUNDARY, limit=0) == [0] * 20
