"""Install packages from a package index in Argos's format (a JSON list of packages with
from_code, to_code, package_version and links), read from a file, a file:// URL or, where a
network exists, http(s)://. Nothing here runs unless a person asks for it."""

from __future__ import annotations

import json
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from workbench.core.mt import packages
from workbench.core.mt.archive import ArchiveLimits, PackageError

MAX_INDEX_BYTES = 16 * 1024 * 1024  # Argos's own index of every package is about 100 KB


def _open(location: str):
    parsed = urllib.parse.urlparse(location)
    if parsed.scheme in ("file", "http", "https"):
        return urllib.request.urlopen(location, timeout=60)  # noqa: S310 (schemes checked above)
    if parsed.scheme and len(parsed.scheme) > 1:
        raise PackageError(f"{location}: only file://, http:// and https:// indexes can be read")
    return open(location, "rb")


def read_index(location: str) -> list[dict]:
    try:
        with _open(location) as handle:
            raw = handle.read(MAX_INDEX_BYTES + 1)
        if len(raw) > MAX_INDEX_BYTES:
            raise PackageError(f"{location}: the package index is larger than {MAX_INDEX_BYTES:,} bytes; "
                               "is this an Argos index?")
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as err:
        raise PackageError(f"{location}: cannot read the package index ({err})") from None
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        raise PackageError(f"{location}: an Argos index is a JSON list of packages")
    return data


def _version(entry: dict) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in str(entry.get("package_version", "0")).split("."))


def install_from_index(location: str, pair: str, models_dir: Path,
                       limits: ArchiveLimits = ArchiveLimits()) -> packages.InstalledPackage:
    """The newest package of the index for `pair` (en-az), downloaded (no larger than it may unpack
    to) and installed within `limits`."""
    source, _, target = pair.replace("_", "-").partition("-")
    candidates = [e for e in read_index(location)
                  if e.get("from_code") == source and e.get("to_code") == target and e.get("links")]
    if not candidates:
        raise PackageError(f"{location}: the index has no package for {source}-{target}")
    entry = max(candidates, key=_version)
    link = urllib.parse.urljoin(location, entry["links"][0]) if "://" in location else entry["links"][0]
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / f"translate-{source}_{target}.argosmodel"
        try:
            with _open(link) as response, file.open("wb") as out:
                _download(response, out, link, limits.max_unpacked_bytes)
        except OSError as err:
            raise PackageError(f"{link}: download failed ({err})") from None
        return packages.install(file, models_dir, limits=limits)


def _download(response, out, link: str, limit: int) -> None:
    """Copy the download, refusing it once it is larger than a package may unpack to."""
    size = 0
    while chunk := response.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise PackageError(f"{link}: the download is larger than {limit:,} bytes (setting: [models] "
                               "max_unpacked_bytes in workbench.toml); refusing it")
        out.write(chunk)
