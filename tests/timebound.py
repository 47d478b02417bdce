"""A time bound for tests of inputs that used to hang: fail with TimeoutError, never hang."""

import signal
from contextlib import contextmanager


@contextmanager
def within(seconds: float):
    """Raise TimeoutError in the block if it runs longer than ``seconds`` (main thread only)."""
    def expire(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
