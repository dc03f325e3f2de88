"""Unpacking model archives (.argosmodel packages, zipped CTranslate2 models) within limits.

A model archive is a file written by anyone. Before a byte is extracted, its directory is checked:
no absolute or `..` paths, at most `max_entries` members, no member declaring more than
`max_member_bytes`, all of them together no more than `max_unpacked_bytes`, and no compression
ratio above `max_ratio` (a member or the whole, above 1 MiB: model weights barely compress, a zip
bomb compresses a thousandfold). While extracting, the bytes actually written are counted against
the same limits, since a zip header can lie. The limits are instance settings, [models] in
workbench.toml (docs/operations.md, "MT models").
"""

from __future__ import annotations

import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from workbench.core.errors import UserError
from workbench.core.limits import whole_numbers

GIB = 1024 ** 3
_RATIO_FLOOR = 1024 * 1024  # below this, a high ratio is a small text file, not a bomb
_CHUNK = 1024 * 1024


class PackageError(UserError):
    """A package file or an installed package that cannot be used; the message says why."""


@contextmanager
def damaged_zip_is_a_package_error(label: str):
    """A zip whose directory reads but whose members do not (bad headers, CRC, compression) is the
    file's fault: a PackageError, not a crash (found by tests/test_fuzz_importers.py)."""
    try:
        yield
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError,
            RuntimeError, OSError) as err:
        raise PackageError(f"{label}: the archive cannot be read or extracted ({err}); "
                           "download the package again") from None


@dataclass(frozen=True)
class ArchiveLimits:
    """[models] in workbench.toml: how far a model archive may inflate (real Argos packages
    unpack to about 100-400 MB; a distilled NLLB model to about 1.2 GB)."""

    max_unpacked_bytes: int = 2 * GIB
    max_member_bytes: int = 2 * GIB
    max_ratio: int = 200
    max_entries: int = 10_000

    @classmethod
    def from_settings(cls, values: dict) -> "ArchiveLimits":
        """The limits from a [models] table; ValueError names the bad setting."""
        return whole_numbers(cls, values, "models")


def _setting(name: str) -> str:
    return f"(setting: [models] {name} in workbench.toml)"


def check_members(archive: zipfile.ZipFile, label: str, limits: ArchiveLimits) -> list[zipfile.ZipInfo]:
    """The archive's members, once their paths and declared sizes are within the limits."""
    members = archive.infolist()
    if len(members) > limits.max_entries:
        raise PackageError(f"{label}: the archive holds {len(members):,} files, more than the limit of "
                           f"{limits.max_entries:,} {_setting('max_entries')}; refusing to install")
    total = packed = 0
    for info in members:
        pure = PurePosixPath(info.filename)
        if (not pure.parts or info.filename.startswith(("/", "\\")) or ".." in pure.parts
                or ":" in pure.parts[0]):
            raise PackageError(f"{label}: unsafe path {info.filename!r} in the archive; refusing to install")
        if info.file_size > limits.max_member_bytes:
            raise PackageError(f"{label}: {info.filename} would unpack to {info.file_size:,} bytes, more "
                               f"than the limit of {limits.max_member_bytes:,} bytes {_setting('max_member_bytes')}; "
                               "refusing to install")
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise PackageError(f"{label}: {info.filename} is compressed "
                               f"{info.file_size // max(info.compress_size, 1):,} to 1, more than the limit "
                               f"of {limits.max_ratio} {_setting('max_ratio')}; it looks like a zip bomb, "
                               "refusing to install")
        total += info.file_size
        packed += info.compress_size
    if total > limits.max_unpacked_bytes:
        raise PackageError(f"{label}: the archive would unpack to {total:,} bytes, more than the limit of "
                           f"{limits.max_unpacked_bytes:,} bytes {_setting('max_unpacked_bytes')}; refusing to install")
    if total > _RATIO_FLOOR and total > limits.max_ratio * max(packed, 1):
        raise PackageError(f"{label}: the archive is compressed {total // max(packed, 1):,} to 1, more than "
                           f"the limit of {limits.max_ratio} {_setting('max_ratio')}; it looks like a zip "
                           "bomb, refusing to install")
    return members


class _Budget:
    """Bytes written so far, refused past the limits whatever the headers declared."""

    def __init__(self, label: str, limits: ArchiveLimits):
        self.label, self.limits, self.total = label, limits, 0

    def spend(self, member: str, member_bytes: int, declared: int, size: int) -> None:
        self.total += size
        if member_bytes > min(declared, self.limits.max_member_bytes):
            raise PackageError(f"{self.label}: {member} unpacks past the {declared:,} bytes its header "
                               f"declares (limit {self.limits.max_member_bytes:,} "
                               f"{_setting('max_member_bytes')}); the archive is damaged or hostile, "
                               "refusing to install")
        if self.total > self.limits.max_unpacked_bytes:
            raise PackageError(f"{self.label}: the archive unpacks past the limit of "
                               f"{self.limits.max_unpacked_bytes:,} bytes {_setting('max_unpacked_bytes')}; "
                               "refusing to install")


def copy_member(source, target, member: str, declared: int, budget: _Budget) -> None:
    """Copy one member's stream to a file, counting every chunk against the budget."""
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        budget.spend(member, written, declared, len(chunk))
        target.write(chunk)


def safe_extract(archive: zipfile.ZipFile, dest: Path, label: str, limits: ArchiveLimits) -> None:
    """Extract every member under `dest` (which the caller removes on failure), within the limits."""
    members = check_members(archive, label, limits)
    root = dest.resolve()
    budget = _Budget(label, limits)
    for info in members:
        target = root.joinpath(*PurePosixPath(info.filename).parts)
        if root not in target.resolve().parents:
            raise PackageError(f"{label}: unsafe path {info.filename!r} in the archive; refusing to install")
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as out:
            copy_member(source, out, info.filename, info.file_size, budget)
