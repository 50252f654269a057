"""Results shared by every session of a lesson server: each call computed once, even at once."""

import threading
import time

import pytest

from benchlearn.lessons.shared import shared


def test_each_distinct_call_is_computed_once_and_returns_the_same_object():
    calls = []

    @shared
    def figure(rate, steps=10):
        calls.append((rate, steps))
        return {"rate": rate, "steps": steps}

    first = figure(0.1)
    assert figure(0.1) is first and figure(rate=0.1, steps=10) is first
    assert figure(0.2) == {"rate": 0.2, "steps": 10}
    assert calls == [(0.1, 10), (0.2, 10)]
    assert figure.cache_info().misses == 2 and figure.cache_info().hits == 2


def test_sessions_asking_at_the_same_moment_wait_for_one_computation():
    started = []

    @shared
    def slow(x):
        started.append(x)
        time.sleep(0.3)
        return object()

    results = [None] * 20
    barrier = threading.Barrier(20)

    def learner(i):
        barrier.wait()
        results[i] = slow(1)

    threads = [threading.Thread(target=learner, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert started == [1]
    assert all(result is results[0] for result in results)
    assert slow.cache_info().hits == 19


def test_an_error_reaches_every_waiting_caller_and_is_not_cached():
    attempts = []

    @shared
    def flaky(x):
        attempts.append(x)
        time.sleep(0.2)
        if len(attempts) == 1:
            raise RuntimeError("first attempt fails")
        return x

    errors = []

    def learner():
        try:
            flaky(5)
        except RuntimeError as error:
            errors.append(error)

    threads = [threading.Thread(target=learner) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(errors) == 3 and attempts == [5]
    assert flaky(5) == 5 and attempts == [5, 5]


def test_the_least_recently_used_result_is_dropped_beyond_maxsize():
    @shared(maxsize=2)
    def double(x):
        return 2 * x

    double(1), double(2), double(1), double(3)
    assert double.cache_info().size == 2
    double(1)  # still kept: it was used after 2
    assert double.cache_info().misses == 3


def test_unhashable_arguments_are_refused_with_a_way_out():
    @shared
    def total(values):
        return sum(values)

    with pytest.raises(TypeError, match="pass a tuple instead of a list"):
        total([1, 2])
    assert total((1, 2)) == 3


def test_kept_computes_once_per_key_for_everyone_and_afresh_without_a_key():
    from benchlearn.lessons.shared import kept

    calls: list[str] = []

    def compute(label):
        def run():
            calls.append(label)
            return object()

        return run

    first = kept(("test-kept", "a"), compute("a"))
    assert kept(("test-kept", "a"), compute("again")) is first
    assert kept(("test-kept", "b"), compute("b")) is not first
    assert kept(None, compute("n1")) is not kept(None, compute("n2"))
    assert calls == ["a", "b", "n1", "n2"]
