"""Benchmark of definition uploads: how fast a zip bomb is refused, next to a normal upload.

Run from the repository root:  python bench/bench_upload.py [rounds]

Both go through ``load_definition``, as the upload page calls it (with ``check_only``, so that
no database is needed: everything an upload does but the final write):

- the bomb: the MZ-88 workbook as ``write_xlsx`` makes it, with 100 MB of repeated rows added to
  its ``sections`` sheet, deflated to a few hundred kilobytes — refused by its declared sizes;
- the normal upload: the same workbook without the added rows — read, checked and compiled.

The two are timed alternately in each round, so that machine noise hits both alike. It prints
the medians, their ratio, and the peak of Python memory during one more call of each
(measured apart, since tracing slows everything down).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoz.settings")

import django  # noqa: E402

django.setup()

from ssoz.definitions.loader import parse_definition  # noqa: E402
from ssoz.definitions.services import LoadStatus, load_definition  # noqa: E402
from ssoz.definitions.spreadsheet import write_xlsx  # noqa: E402

MB = 1024 * 1024
SECTIONS_SHEET = "xl/worksheets/sheet3.xml"  # instrukcja, form, sections: the third sheet


def with_added_rows(workbook: bytes, megabytes: int) -> bytes:
    """``workbook`` with ``megabytes`` MB of one repeated row at the end of its sections sheet,
    streamed into the archive so that building it costs no memory."""
    row = b'<row><c t="inlineStr"><is><t>D9</t></is></c></row>'
    chunk = row * (MB // len(row))
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != SECTIONS_SHEET:
                archive.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with archive.open(info.filename, "w", force_zip64=True) as part:
                part.write(head)
                for _ in range(megabytes):
                    part.write(chunk)
                part.write(b"</sheetData>" + tail)
    return out.getvalue()


def peak_megabytes(call: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def main(rounds: int) -> None:
    path = ROOT / "definitions" / "mz-88" / "2025.yaml"
    normal = write_xlsx(dict(parse_definition(path.read_text(), filename=path.name)))
    bomb = with_added_rows(normal, 100)
    declared = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(bomb)).infolist())

    def refuse() -> None:
        result = load_definition(bomb, filename="bomba.xlsx", check_only=True)
        assert result.status == LoadStatus.INVALID, result.message()

    def upload() -> None:
        result = load_definition(normal, filename="mz-88.xlsx", check_only=True)
        assert result.status == LoadStatus.CHECKED, result.message()

    refuse()
    upload()  # warm: imports, the JSON Schema, the grammar
    refusals: list[float] = []
    uploads: list[float] = []
    for _ in range(rounds):
        for call, times in ((refuse, refusals), (upload, uploads)):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    refusal, normal_upload = statistics.median(refusals), statistics.median(uploads)
    print(f"Python {sys.version.split()[0]}, {rounds} rounds, medians")
    print(
        f"bomb: {len(bomb) / 1024:.0f} KB declaring {declared / MB:.0f} MB; "
        f"normal: MZ-88, {len(normal) / 1024:.0f} KB"
    )
    print(f"{'upload':<28}{'median (ms)':>12}{'peak memory (MB)':>18}")
    for name, median, call in (
        ("zip bomb, refused", refusal, refuse),
        ("MZ-88 workbook, checked", normal_upload, upload),
    ):
        print(f"{name:<28}{median * 1000:>12.2f}{peak_megabytes(call):>18.2f}")
    print(f"refusal / normal upload: {refusal / normal_upload:.4f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
