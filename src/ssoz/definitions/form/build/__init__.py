"""Compiling a definition into a :class:`~ssoz.definitions.form.engine.CompiledForm`, part by
part: sections (:mod:`.sections`) with their questions (:mod:`.fields`) and tables
(:mod:`.tables`), the rules (:mod:`.rules`), the order of the work (:mod:`.order`) and the
deadline (:mod:`.deadline`), all sharing one :class:`~.state.Build`."""

from .definition import compile_definition

__all__ = ["compile_definition"]
