"""An export as SDMX: the data as SDMX-CSV 2.0, one observation per line, and the data
structure definition generated from the form, written as an SDMX-ML 3.0 structure message by
pysdmx (which also reads it back, against the standard's schemas, in the tests).

The structure's dimensions are what identifies a row of the export (the entity's REGON and the
unit's REGON-14 for microdata, the breakdown's key for a table), the measure dimension (the
form's cell, or the statistic of a table), and the period; the measure is OBS_VALUE, with
OBS_STATUS "C" (confidential) where a figure is hidden. SDMX identifiers allow only letters,
digits, "_", "@", "$" and "-", so a cell's code "D1.W01.K2" is the code D1_W01_K2, named by the
cell's label. Names are written in English: pysdmx marks every name as English.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import IO

from django.utils import translation
from pysdmx.io import write_sdmx
from pysdmx.io.format import Format
from pysdmx.model import (
    Code,
    Codelist,
    Component,
    Components,
    Concept,
    ConceptScheme,
    Dataflow,
    DataStructureDefinition,
    DataType,
    Role,
)
from pysdmx.model.message import Header

from ssoz.exports.tables import HIDDEN, ExportTable, Verbatim

AGENCY = "SSOZ"
VERSION = "1.0"
NOT_APPLICABLE = "_Z"  # SDMX's code for a dimension that does not apply (a collective report)
CONFIDENTIAL = "C"
_NOT_ID = re.compile(r"[^A-Za-z0-9_@$-]")


def sdmx_id(code: str) -> str:
    return _NOT_ID.sub("_", code) or "_"


class Structure:
    """The identifiers one export's structure and data share."""

    def __init__(self, table: ExportTable, measure_dimension: str = "CELL") -> None:
        base = sdmx_id(table.name.upper())
        self.table = table
        self.measure_dimension = measure_dimension
        self.dimensions = [sdmx_id(code.upper()) for code in table.dimensions]
        self.dataflow = f"DF_{base}"
        self.structure_id = f"{AGENCY}:{self.dataflow}({VERSION})"
        self.scheme = f"CS_{base}"
        self.codelist = f"CL_{base}_{measure_dimension}"

    def _urn(self, kind: str, identifier: str, item: str | None = None) -> str:
        urn = f"urn:sdmx:org.sdmx.infomodel.{kind}={AGENCY}:{identifier}({VERSION})"
        return f"{urn}.{item}" if item else urn

    def message(self) -> str:
        """The SDMX-ML 3.0 structure message: the codelist of the measured columns, the
        concepts, the data structure definition and its dataflow."""
        with translation.override("en"):
            measured = [column for column in self.table.columns if column.numeric]
            names = {column.code: str(column.label) for column in self.table.columns}
            codelist = Codelist(
                self.codelist,
                name=f"{self.table.name}: {self.measure_dimension.lower()}",
                agency=AGENCY,
                version=VERSION,
                urn=self._urn("codelist.Codelist", self.codelist),
                items=[
                    Code(sdmx_id(column.code), name=str(column.label) or column.code)
                    for column in measured
                ],
            )
            status = Codelist(
                f"CL_{AGENCY}_OBS_STATUS",
                name="Observation status",
                agency=AGENCY,
                version=VERSION,
                urn=self._urn("codelist.Codelist", f"CL_{AGENCY}_OBS_STATUS"),
                items=[Code("A", name="Normal value"), Code(CONFIDENTIAL, name="Confidential")],
            )
            concepts = {
                identifier: Concept(
                    identifier,
                    name=name,
                    dtype=dtype,
                    urn=self._urn("conceptscheme.Concept", self.scheme, identifier),
                )
                for identifier, name, dtype in [
                    *[
                        (sdmx_id(code.upper()), names.get(code, code), DataType.STRING)
                        for code in self.table.dimensions
                    ],
                    (self.measure_dimension, self.measure_dimension.title(), None),
                    ("TIME_PERIOD", "Reference period", DataType.PERIOD),
                    ("OBS_VALUE", "Observation value", DataType.DECIMAL),
                    ("OBS_STATUS", "Observation status", None),
                ]
            }
            scheme = ConceptScheme(
                self.scheme,
                name=f"{self.table.name}: concepts",
                agency=AGENCY,
                version=VERSION,
                items=list(concepts.values()),
            )
            components = Components(
                [
                    *[
                        Component(identifier, True, Role.DIMENSION, concepts[identifier])
                        for identifier in self.dimensions
                    ],
                    Component(
                        self.measure_dimension,
                        True,
                        Role.DIMENSION,
                        concepts[self.measure_dimension],
                        local_codes=codelist,
                    ),
                    Component("TIME_PERIOD", True, Role.DIMENSION, concepts["TIME_PERIOD"]),
                    Component("OBS_VALUE", False, Role.MEASURE, concepts["OBS_VALUE"]),
                    Component(
                        "OBS_STATUS",
                        False,
                        Role.ATTRIBUTE,
                        concepts["OBS_STATUS"],
                        local_codes=status,
                        attachment_level="O",
                    ),
                ]
            )
            structure = DataStructureDefinition(
                f"DSD_{self.dataflow[3:]}",
                name=self.table.name,
                agency=AGENCY,
                version=VERSION,
                urn=self._urn("datastructure.DataStructure", f"DSD_{self.dataflow[3:]}"),
                components=components,
            )
            dataflow = Dataflow(
                self.dataflow,
                name=self.table.name,
                agency=AGENCY,
                version=VERSION,
                structure=structure.urn,
            )
            return write_sdmx(
                [codelist, status, scheme, structure, dataflow],
                Format.STRUCTURE_SDMX_ML_3_0,
                header=Header(sender=AGENCY),
            )

    def header(self) -> list[str]:
        return [
            "STRUCTURE",
            "STRUCTURE_ID",
            "ACTION",
            *self.dimensions,
            self.measure_dimension,
            "TIME_PERIOD",
            "OBS_VALUE",
            "OBS_STATUS",
        ]

    def observations(self) -> Iterator[list[str]]:
        """Each measured value of each row as one line of SDMX-CSV 2.0."""
        table = self.table
        codes = [column.code for column in table.columns]
        keys = [codes.index(code) for code in table.dimensions]
        measured = [
            (index, sdmx_id(column.code))
            for index, column in enumerate(table.columns)
            if column.numeric
        ]
        lead = ["dataflow", self.structure_id, "I"]
        for row in table.rows:
            key = [row[index] or NOT_APPLICABLE for index in keys]
            for index, code in measured:
                value = row[index]
                if value is None or value == "":
                    continue
                if isinstance(value, Verbatim):
                    if value != HIDDEN:
                        continue  # not a number: SDMX carries numbers only
                    yield [*lead, *key, code, table.period, "", CONFIDENTIAL]
                else:
                    yield [*lead, *key, code, table.period, value, ""]


def write_data(structure: Structure, out: IO[str]) -> int:
    """Write the SDMX-CSV 2.0 data; returns how many observations it wrote."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(structure.header())
    count = 0
    for line in structure.observations():
        writer.writerow(line)
        count += 1
    return count
