"""Install packages from a package index in Argos's format (a JSON list of packages with
from_code, to_code, package_version and links), read from a file, a file:// URL or, where a
network exists, http(s)://. Nothing here runs unless a person asks for it."""

from __future__ import annotations

import json
import shutil
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from . import packages
from .packages import PackageError


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
            data = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError) as err:
        raise PackageError(f"{location}: cannot read the package index ({err})") from None
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        raise PackageError(f"{location}: an Argos index is a JSON list of packages")
    return data


def _version(entry: dict) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in str(entry.get("package_version", "0")).split("."))


def install_from_index(location: str, pair: str, models_dir: Path) -> packages.InstalledPackage:
    """The newest package of the index for `pair` (en-az), downloaded and installed."""
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
                shutil.copyfileobj(response, out)
        except OSError as err:
            raise PackageError(f"{link}: download failed ({err})") from None
        return packages.install(file, models_dir)
