"""Through what a change is made: a person on a page, or a person's system through the API
with one of her tokens. The audit trail names the token; the verbs need not pass it on."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_api_token: ContextVar[int | None] = ContextVar("api_token", default=None)


@contextmanager
def through_api_token(token_id: int) -> Iterator[None]:
    """Everything done within is recorded as done through the API token `token_id`."""
    reset = _api_token.set(token_id)
    try:
        yield
    finally:
        _api_token.reset(reset)


def api_token_id() -> int | None:
    """The API token the current change is made through, if any."""
    return _api_token.get()
