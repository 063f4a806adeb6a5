"""Compiled forms kept per form version and checksum: compiling is slow and checking is fast.

The key is the version's row id with its checksum, so a page that has only those (a report's
save) gets its form without reading the definition's data or source from the database: the
data is loaded only when the form is not cached yet.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from .build import compile_definition
from .engine import CompiledForm

_CACHE_SIZE = 64
_cache: OrderedDict[tuple[int, str], CompiledForm] = OrderedDict()
_cache_lock = threading.Lock()

Loader = Callable[[], tuple[Mapping[str, Any], str]]  # the definition's data and its filename


def cached_form(key: tuple[int, str], load: Loader) -> CompiledForm:
    """The compiled form for (version id, checksum), compiled at most once per process
    (barring eviction of the least recently used of many forms); `load` is called only when
    it is not cached."""
    with _cache_lock:
        form = _cache.get(key)
        if form is not None:
            _cache.move_to_end(key)
            return form
    # Compiled outside the lock: two threads may both compile once, but no request waits on
    # another form's compilation.
    data, filename = load()
    form = compile_definition(data, filename=filename)
    remember_form(key, form)
    return form


def remember_form(key: tuple[int, str], form: CompiledForm) -> None:
    """Put a form compiled elsewhere (e.g. while loading its file) into the cache."""
    with _cache_lock:
        _cache[key] = form
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
