"""Install, list and remove Argos `.argosmodel` packages in the instance's models folder.

Argos's own install_from_path imports its translate module (and with it stanza), so the
workbench installs packages itself: the zip is checked first (one top folder, no absolute or
`..` paths, declared sizes and compression ratios within the [models] limits (archive.py), a
metadata.json naming the languages, a model/ folder with a CTranslate2 model), then extracted
(counting the bytes written) into a temporary folder beside the target and renamed into place, so
a reader never sees half a package.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from workbench.core.mt.archive import (ArchiveLimits, PackageError, check_members, damaged_zip_is_a_package_error, safe_extract)

LANG_CODE = re.compile(r"[a-z]{2,3}(_[A-Za-z]{4})?")  # ISO 639 code, optional ISO 15924 script
INSTALL_HINT = "workbench models install translate-{src}_{dst}-<version>.argosmodel"
MAX_METADATA_BYTES = 1024 * 1024  # a real metadata.json is under 2 KB


@dataclass(frozen=True)
class InstalledPackage:
    from_code: str
    to_code: str
    version: str
    path: Path
    name: str
    target_prefix: str = ""

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["path"] = str(self.path)
        data["from"] = data.pop("from_code")
        data["to"] = data.pop("to_code")
        return data


def _check_archive(archive: zipfile.ZipFile, file: str, limits: ArchiveLimits) -> tuple[str, dict]:
    names = [info.filename for info in check_members(archive, file, limits)]
    if not names:
        raise PackageError(f"{file}: the archive is empty")
    tops = {PurePosixPath(name).parts[0] for name in names}
    if len(tops) != 1:
        raise PackageError(f"{file}: an .argosmodel holds one top folder, this one has {len(tops)}")
    top = tops.pop()
    try:
        if archive.getinfo(f"{top}/metadata.json").file_size > MAX_METADATA_BYTES:
            raise PackageError(f"{file}: {top}/metadata.json is larger than {MAX_METADATA_BYTES:,} bytes; "
                               "this is not an Argos package")
        with archive.open(f"{top}/metadata.json") as stream:
            metadata = json.loads(stream.read(MAX_METADATA_BYTES + 1).decode("utf-8"))
    except KeyError:
        raise PackageError(f"{file}: no {top}/metadata.json; this is not an Argos package") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise PackageError(f"{file}: {top}/metadata.json is not valid JSON ({err})") from None
    if not isinstance(metadata, dict):
        raise PackageError(f"{file}: {top}/metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise PackageError(f"{file}: metadata.json lacks {key!r}")
        # The codes name the install folder: a closed pattern, so no path can hide in them.
        if not LANG_CODE.fullmatch(metadata[key]):
            raise PackageError(f"{file}: metadata.json has {key}={metadata[key]!r}, not a language code "
                               "like 'en', 'az' or 'zh_Hant'; refusing to install")
    if f"{top}/model/model.bin" not in names:
        raise PackageError(f"{file}: no {top}/model/model.bin; the package has no CTranslate2 model")
    if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
        raise PackageError(f"{file}: no sentencepiece.model or bpe.model tokenizer in the package")
    return top, metadata


def install(file: Path, models_dir: Path, *, name: str | None = None,
            limits: ArchiveLimits = ArchiveLimits()) -> InstalledPackage:
    """Install one package file; a package for the same pair is replaced.

    `name` is what messages call the file (an upload's own name: never a server's temporary path);
    `limits` bound how far it may unpack (the instance's [models] settings).
    """
    file = Path(file)
    label = name or str(file)
    if not file.is_file():
        raise PackageError(f"{label}: no such file")
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise PackageError(f"{label}: not a zip archive; an .argosmodel file is a zip") from None
    models_dir.mkdir(parents=True, exist_ok=True)
    with archive, damaged_zip_is_a_package_error(label):
        top, metadata = _check_archive(archive, label, limits)
        final = _inside(models_dir, f"{metadata['from_code']}_{metadata['to_code']}", label)
        staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=models_dir))
        try:
            safe_extract(archive, staging, label, limits)
            new = staging / top
            _check_loads(new, label)
            move_into_place(new, final, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return _load(final)


def move_into_place(new: Path, final: Path, staging: Path) -> None:
    """Rename a checked model folder over `final`; an old one is renamed aside first, so a reader
    sees either the old model or the new one, never half of each."""
    old = None
    if final.exists():
        old = final.parent / f".removing-{final.name}-{staging.name[-8:]}"
        final.rename(old)
    new.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _inside(models_dir: Path, name: str, file: str) -> Path:
    """models_dir/name, checked to resolve to a direct child of models_dir before anything moves."""
    target = models_dir / name
    if (name.startswith(".") or target.resolve().parent != models_dir.resolve() or target.is_symlink()):
        raise PackageError(f"{file}: the package would install outside the models folder; refusing")
    return target


def _check_loads(folder: Path, label: str) -> None:
    """Load the model and tokenizer once: a package that would fail at translation time is refused now."""
    import ctranslate2
    import sentencepiece

    try:
        translator = ctranslate2.Translator(str(folder / "model"), device="cpu", inter_threads=1, intra_threads=1)
        del translator
        tokenizer = folder / "sentencepiece.model"
        if tokenizer.exists():
            sentencepiece.SentencePieceProcessor(model_file=str(tokenizer))
    except Exception as err:  # noqa: BLE001 - whatever the loaders raise, the package is unusable
        raise PackageError(f"{label}: the model does not load ({_without_paths(str(err), folder)}); "
                           "the package is damaged or made for another CTranslate2 version") from None


def _without_paths(message: str, folder: Path) -> str:
    """A loader's message without the server's folders in it."""
    message = message.replace(str(folder) + "/", "").replace(str(folder), "")
    return re.sub(r"(?:/[\w.+-]+){2,}/?", "…", message)


def _load(folder: Path) -> InstalledPackage:
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PackageError(f"{folder}: unreadable metadata.json ({err})") from None
    return InstalledPackage(
        from_code=metadata["from_code"], to_code=metadata["to_code"],
        version=str(metadata.get("package_version", "0")), path=folder,
        name=f"translate-{metadata['from_code']}_{metadata['to_code']}-"
             f"{str(metadata.get('package_version', '0')).replace('.', '_')}",
        target_prefix=metadata.get("target_prefix") or "")


def installed(models_dir: Path) -> list[InstalledPackage]:
    if not models_dir.is_dir():
        return []
    return [_load(folder) for folder in sorted(models_dir.iterdir())
            if folder.is_dir() and not folder.name.startswith(".") and (folder / "metadata.json").exists()]


def find(models_dir: Path, from_code: str, to_code: str) -> InstalledPackage | None:
    return next((p for p in installed(models_dir)
                 if p.from_code == from_code and p.to_code == to_code), None)


def remove(models_dir: Path, name: str) -> InstalledPackage:
    """Remove a package given as a pair ("en-az", "en_az") or as its package name."""
    wanted = name.replace("_", "-")
    for package in installed(models_dir):
        if wanted in (package.pair, package.name.replace("_", "-")):
            trash = models_dir / f".removing-{package.path.name}"
            package.path.rename(trash)
            shutil.rmtree(trash, ignore_errors=True)
            return package
    raise PackageError(f"no installed package {name!r}; `workbench models list` shows them")
