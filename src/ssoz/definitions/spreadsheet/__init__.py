"""A form definition as a spreadsheet: lossless XLSX ⇄ definition dict conversion.

Statisticians may keep a definition in Excel or LibreOffice instead of YAML, as XLSForm users do.
:func:`write_xlsx` (:mod:`.writer`) turns the plain dict that a definition YAML file loads into
(see ``docs/form-format.md``) into a workbook, :func:`read_xlsx` (:mod:`.reader`) turns a
workbook back into that dict, and ``read_xlsx(write_xlsx(d)) == d`` for every definition the
writer accepts. The layout is described in ``docs/form-spreadsheet.md`` and, for the people
editing it, on the workbook's own first sheet ``instrukcja``. The sheets and their columns are
in :mod:`.sheets` and :mod:`.spec`, the spelling of cell values in :mod:`.cells`; what the
writer checks before it writes is in :mod:`.plan`, what the reader refuses to unpack or read
in :mod:`.limits`, and how it puts the sheets' rows together in :mod:`.assemble`. The YAML form
is written by :mod:`ssoz.definitions.dumper`.

What keeps the conversion lossless:

* an empty cell means "the key is absent"; explicit values always have a visible spelling
  (``TAK``/``NIE`` for booleans, ``[]`` for an empty list), so ``required: false`` and a missing
  ``required`` stay different;
* strings are written as text cells (number format ``@``, a quote prefix when Excel would take
  them for a formula), characters XML cannot carry use the OOXML ``_xhhhh_`` escape, and texts
  and expressions are read back verbatim (codes, numbers and keywords are stripped instead, since
  stray spaces there are typing accidents);
* numbers keep their Python type: a float with an integral value gets the number format ``0.0``
  (Excel stores every number as a double; the format is what survives a save in Excel), and a
  number Excel cannot hold exactly (more than 15 significant digits) is written as text;
* a date is a date cell when it was a ``datetime.date`` (``yaml.safe_load``) and a text cell when
  it was the text ``RRRR-MM-DD`` (the loader keeps dates as text), and comes back the same; a
  date before 1 March 1900, which Excel lacks, is its text in a cell of the date format;
* the repeating records (``records:``) have a key/value sheet of their own and sheets of the
  form's layout whose names start with ``records_``, built from the same sheet descriptions
  (:class:`.spec.Part`);
* whatever the workbook cannot express (an unknown key, an empty list of choices, …) is refused
  by the writer with the key's path rather than silently changed.

The reader forgives what Excel and people do: columns in any order (found by header name),
blank and trailing rows, stray spaces, numbers typed as text, ``tak/nie/true/false/1/0``,
decimal commas, dates typed as ``dd.mm.rrrr``. Every problem is collected and reported at once
in :class:`XlsxDefinitionError` with sheet, row and column, in Polish and English; no raw
exception escapes.
"""

from .problems import Problem, XlsxDefinitionError
from .reader import read_xlsx
from .writer import write_xlsx

__all__ = ["Problem", "XlsxDefinitionError", "read_xlsx", "write_xlsx"]
