"""Glossary files by format: read CSV, TSV or TBX into concepts, write them back."""

from __future__ import annotations

from pathlib import Path

from workbench.core.terms.model import Concept, GlossaryError, GlossaryRead
from workbench.core.terms.tabular import read_tabular_entries, write_tabular
from workbench.core.terms.tbx import read_tbx_entries, write_tbx

EXPORT_FORMATS = ("csv", "tsv", "tbx")


def read_glossary(data: bytes, name: str) -> list[Concept]:
    """The file's concepts, strictly: the first entry that cannot be read raises, naming its line."""
    read = read_glossary_entries(data, name)
    error = read.first_problem(name)
    if error:
        raise error
    return read.concepts


def read_glossary_entries(data: bytes, name: str) -> GlossaryRead:
    """The concepts read, the entries that could not be (per entry: id, line, reason) and warnings."""
    suffix = Path(name).suffix.lower()
    if suffix in (".tbx", ".xml") or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return read_tbx_entries(data, name)
    if suffix in (".csv", ".tsv", ".txt"):
        return read_tabular_entries(data, name)
    raise GlossaryError(f"{name}: unknown glossary format {suffix or '(no extension)'!r}; "
                        "use .csv, .tsv or .tbx")


def read_glossary_file(path: Path) -> list[Concept]:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise GlossaryError(f"{path}: cannot read the file ({err.strerror})") from None
    return read_glossary(data, str(path))


def write_glossary(concepts: list[Concept], fmt: str) -> bytes:
    if fmt == "tbx":
        return write_tbx(concepts)
    if fmt in ("csv", "tsv"):
        return write_tabular(concepts, "\t" if fmt == "tsv" else ",").encode("utf-8")
    raise GlossaryError(f"unknown glossary format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
