"""How far a ZIP archive (an XLSX workbook) goes past its bounds, read from its directory
before anything is unpacked: :mod:`zipfile` never gives more bytes than a part declares, so
the declared sizes bound what a reader such as openpyxl can unpack. A few hundred kilobytes
can unpack to gigabytes; sheet XML packs 10 to 20 times, so a part packed far better is a
repetition made to be unpacked. Each upload states its own bounds and its own message."""

import io
import zipfile
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class ArchiveBounds:
    max_parts: int
    max_unpacked: int  # all parts together, in bytes
    max_part: int  # one part, in bytes
    max_ratio: int = 100
    ratio_from: int = 256 * 1024  # small parts may pack as well as they like


@dataclass(frozen=True)
class Excess:
    """The first bound the archive goes past: too many `parts`, too many bytes `unpacked`
    in all or in one `part`, or a part packed beyond any real workbook (`ratio`)."""

    kind: Literal["parts", "unpacked", "part", "ratio"]
    parts: int
    unpacked: int  # bytes, all parts together
    part: str = ""  # the part concerned
    part_size: int = 0
    ratio: float = 0.0


def excess(content: bytes, bounds: ArchiveBounds) -> Excess | None:
    """What of `content`'s directory is past `bounds`, the first found; None when all is
    within them, or when it is no readable archive (its reader then says it is damaged)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    total = sum(part.file_size for part in parts)
    if len(parts) > bounds.max_parts:
        return Excess("parts", len(parts), total)
    if total > bounds.max_unpacked:
        return Excess("unpacked", len(parts), total)
    for part in parts:
        if part.file_size > bounds.max_part:
            return Excess("part", len(parts), total, part.filename, part.file_size)
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > bounds.ratio_from and ratio > bounds.max_ratio:
            return Excess("ratio", len(parts), total, part.filename, part.file_size, ratio)
    return None
