"""A database that does not answer: requests give up on it within seconds, then stop asking.

A PostgreSQL server that hangs (stopped with SIGSTOP, a stalled disk, a network that drops
packets) keeps its connections open: its machine's kernel still accepts connections and
acknowledges what is sent, so neither TCP keepalives nor the server's own
statement_timeout ever end the wait, and every request that reaches the database would
hold a gunicorn thread until the worker is killed. psycopg2 lets the waiting be done in
Python (`set_wait_callback`, its hook for green threads); `wait()` waits with select() and
a deadline:

- inside a request (`deadline()`, set by core.middleware), a statement or a connection
  that has not answered after settings.DATABASE_HANG_TIMEOUT seconds is given up:
  psycopg2 discards the connection and raises OperationalError, which readers see as
  the 503 page;
- the first such hang opens a breaker for settings.DATABASE_BREAK_SECONDS: meanwhile
  every request of the process that needs the database fails at once (503 in
  milliseconds, no thread held), and threads already waiting give up at once too.
  Then one request at a time tries again; the first answer closes the breaker;
- outside requests (commands, the task worker) only connecting has a deadline, the
  connection's connect_timeout: a long statement of a command is not cut short.

Stored pages and /healthz never touch the database, so they answer at full speed
throughout; /readyz reports the breaker (core.views.readyz).
"""

import contextlib
import select
import threading
import time
from contextvars import ContextVar

from django.conf import settings


class _Wait:
    """How long the current request waits for the database, and whether it gave up."""

    __slots__ = ("gave_up", "seconds")

    def __init__(self, seconds):
        self.seconds, self.gave_up = seconds, False


_wait = ContextVar("database_wait", default=None)

# How often a waiting thread looks whether another one has found the database hung.
_LOOK_SECONDS = 0.2


@contextlib.contextmanager
def deadline(seconds):
    """Give up on the database after `seconds` without an answer, within this block."""
    token = _wait.set(_Wait(seconds))
    try:
        yield
    finally:
        _wait.reset(token)


def gave_up():
    """Return True if the current request gave up on the database.

    Whatever error follows is the database's doing, even when a library wrapped the
    OperationalError in one of its own (django-ninja's response validation does).
    """
    current = _wait.get()
    return current is not None and current.gave_up


class Breaker:
    """Whether this process has found the database hung, and until when it stops asking."""

    def __init__(self):
        self._lock = threading.Lock()
        self.open_until = 0.0
        self.trial = None  # The thread trying the database again, once the break is over.

    def is_open(self):
        with self._lock:
            return self.open_until > 0 and (
                time.monotonic() < self.open_until or self.trial is not None
            )

    def enter(self):
        """Return True if this thread may ask the database now."""
        me = threading.get_ident()
        with self._lock:
            if not self.open_until or self.trial == me:
                return True
            if time.monotonic() < self.open_until or self.trial is not None:
                return False
            self.trial = me
            return True

    def keep_waiting(self):
        """Return False once another thread has opened the breaker (this wait is futile)."""
        me = threading.get_ident()
        with self._lock:
            return not self.open_until or self.trial == me

    def answered(self):
        with self._lock:
            if self.open_until:
                self.open_until, self.trial = 0.0, None

    def hung(self):
        with self._lock:
            self.open_until = time.monotonic() + settings.DATABASE_BREAK_SECONDS
            self.trial = None


breaker = Breaker()


def _unavailable(message):
    import psycopg2

    return psycopg2.OperationalError(message)


def wait(connection):
    """psycopg2's wait callback: poll the connection until it answers, or give up."""
    from psycopg2 import extensions

    request = _wait.get()
    in_request = request is not None
    if in_request:
        limit = request.seconds
        if not breaker.enter():
            request.gave_up = True
            raise _unavailable("the database did not answer a moment ago; not asking again yet")
    elif connection.status == extensions.STATUS_SETUP:
        limit = float(connection.get_dsn_parameters().get("connect_timeout") or 0) or None
    else:
        limit = None
    give_up_at = time.monotonic() + limit if limit else None
    while True:
        state = connection.poll()
        if state == extensions.POLL_OK:
            if in_request:
                breaker.answered()
            return
        reading = state == extensions.POLL_READ
        fds = ([connection.fileno()], []) if reading else ([], [connection.fileno()])
        if give_up_at is None:
            select.select(*fds, [])
            continue
        remaining = give_up_at - time.monotonic()
        if remaining <= 0:
            if in_request:
                breaker.hung()
                request.gave_up = True
            raise _unavailable(f"the database did not answer within {limit:g} s")
        if in_request and not breaker.keep_waiting():
            request.gave_up = True
            raise _unavailable("the database did not answer another request; giving up")
        select.select(*fds, [], min(remaining, _LOOK_SECONDS))


def install():
    """Wait for PostgreSQL with `wait()`: called at start-up when a database is PostgreSQL."""
    from psycopg2 import extensions

    extensions.set_wait_callback(wait)
