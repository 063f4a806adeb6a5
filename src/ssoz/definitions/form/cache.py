"""Compiled forms kept per (code, version, checksum): compiling is slow and checking is fast."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from .build import compile_definition
from .engine import CompiledForm

_CACHE_SIZE = 64
_cache: OrderedDict[tuple[str, str, str], CompiledForm] = OrderedDict()
_cache_lock = threading.Lock()


def cached_form(
    key: tuple[str, str, str], data: Mapping[str, Any], *, filename: str
) -> CompiledForm:
    """The compiled form for (code, version, checksum), compiled at most once per process
    (barring eviction of the least recently used of many forms)."""
    with _cache_lock:
        form = _cache.get(key)
        if form is not None:
            _cache.move_to_end(key)
            return form
    # Compiled outside the lock: two threads may both compile once, but no request waits on
    # another form's compilation.
    form = compile_definition(data, filename=filename)
    remember_form(key, form)
    return form


def remember_form(key: tuple[str, str, str], form: CompiledForm) -> None:
    """Put a form compiled elsewhere (e.g. while loading its file) into the cache."""
    with _cache_lock:
        _cache[key] = form
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
