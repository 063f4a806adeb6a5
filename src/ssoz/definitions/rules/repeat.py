"""The text of a rule that repeats over the rows (or the columns) of a table.

Such a rule is written once, with ``*`` standing for the current row's (column's) code where
it is a whole segment of a reference (``D2.*.K5``, ``sum(D2.*.K1:K4)``), and with ``{*}`` and
``{*label}`` in its messages for the row's code and its label (``{*number}`` for the number a
row shows, such as A.I.1, or its code when it shows none). The form builder rewrites the
text for each row and compiles one ordinary rule from it; nothing here evaluates anything.

A ``*`` between values (``D2.*.K5 * 2``, ``D2.W01.K1*2``) is a multiplication, and one inside
a quoted text is a character of the text: neither is touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import closing_brace

# As in grammar.lark: a reference starts with a letter, its segments are joined by dots, and
# a range has one colon. Here a segment may also be a lone "*".
_LETTER = "A-Za-z_ĄĆĘŁŃÓŚŹŻąćęłńóśźż"
_SEGMENT = "A-Za-z0-9_ĄĆĘŁŃÓŚŹŻąćęłńóśźż"
_STRING = r""""[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"""
_REFERENCE = (
    rf"(?<![{_SEGMENT}.])[{_LETTER}][{_SEGMENT}]*"
    rf"(?:\.(?:[{_SEGMENT}]+|\*(?![{_SEGMENT}]))|:[{_SEGMENT}]+)*"
)
_TOKENS = re.compile(rf"(?P<string>{_STRING})|(?P<reference>{_REFERENCE})")

CODE, LABEL, NUMBER = "{*}", "{*label}", "{*number}"


def stars(source: str) -> list[int]:
    """The offsets of every ``*`` that stands for the current row or column in an expression."""
    found: list[int] = []
    for match in _TOKENS.finditer(source):
        if match.lastgroup == "reference" and "*" in match.group():
            start = match.start()
            found.extend(start + i for i, char in enumerate(match.group()) if char == "*")
    return found


def _message_spans(template: str) -> list[tuple[int, int, str]]:
    """What stands for the current row or column in a message: ``(start, end, what)`` with
    `what` CODE, LABEL or NUMBER for a whole placeholder, "*" for a segment of a reference in
    one."""
    spans: list[tuple[int, int, str]] = []
    i, n = 0, len(template)
    while i < n:
        if template.startswith("{{", i) or template.startswith("}}", i):
            i += 2
            continue
        if template[i] != "{":
            i += 1
            continue
        end = closing_brace(template, i + 1)
        if end is None:
            break  # compile_message says what is wrong
        inner = template[i + 1 : end].strip()
        if inner in ("*", "*label", "*number"):
            spans.append((i, end + 1, {"*": CODE, "*label": LABEL, "*number": NUMBER}[inner]))
        else:
            spans.extend((i + 1 + k, i + 2 + k, "*") for k in stars(template[i + 1 : end]))
        i = end + 1
    return spans


def message_stars(template: str) -> list[int]:
    """The offsets of everything in a message that stands for the current row or column."""
    return [start for start, _end, _what in _message_spans(template)]


@dataclass(frozen=True, slots=True)
class Rewritten:
    """A text written for one row (column), and how to find a position of it in the text as
    written: errors in the rewritten text point at the definition's own characters."""

    text: str
    original: str
    # (start, end) in the original, (start, end) in the rewritten text, for each replacement.
    spans: tuple[tuple[int, int, int, int], ...]

    def position(self, line: int, column: int) -> tuple[int, int]:
        """The 1-based line and column in the original of a position in the rewritten text;
        a position inside a replacement is that of the ``*`` (or the placeholder) it replaced."""
        offset = _offset(self.text, line, column)
        back = offset
        for start, end, new_start, new_end in self.spans:
            if offset < new_start:
                break
            back = start if offset < new_end else offset - new_end + end
        return line_column(self.original, back)


def _rewrite(source: str, replacements: list[tuple[int, int, str]]) -> Rewritten:
    parts: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    done = length = 0
    for start, end, text in replacements:
        parts.append(source[done:start])
        length += start - done
        spans.append((start, end, length, length + len(text)))
        parts.append(text)
        length += len(text)
        done = end
    parts.append(source[done:])
    return Rewritten("".join(parts), source, tuple(spans))


def for_item(source: str, code: str) -> Rewritten:
    """An expression (or a field's code) for the row or column `code`."""
    return _rewrite(source, [(k, k + 1, code) for k in stars(source)])


def message_for_item(template: str, code: str, label: str, number: str | None = None) -> Rewritten:
    """A message for the row or column `code` with its `label` (in the message's language) and
    the `number` it shows (its code when it has none). The code, the label and the number are
    literal text: a brace in a label stays a brace."""
    literal = label.replace("{", "{{").replace("}", "}}")
    shown = (number or code).replace("{", "{{").replace("}", "}}")
    texts = {CODE: code, LABEL: literal, NUMBER: shown, "*": code}
    return _rewrite(
        template, [(start, end, texts[what]) for start, end, what in _message_spans(template)]
    )


def _offset(text: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            break
        start = found + 1
    return start + column - 1


def line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
