"""CTranslate2 models of the Marian (OPUS-MT), NLLB-200 and M2M-100 families.

A model is a CTranslate2 model folder (model.bin, config.json, vocabulary) with its SentencePiece
model(s), as `ct2-opus-mt-converter` / `ct2-transformers-converter --copy_files ...` write it; it
may come zipped. The family is detected from its files where possible, else named with --family:

- marian: source.spm and target.spm (decode with the target one); a multi-target model wants a
  `>>xxx<<` token first in the source, given per language with --target-token az='>>aze_Latn<<'.
- nllb: one SentencePiece model; source ["eng_Latn", *pieces, "</s>"], target prefix "azj_Latn".
- m2m100: one SentencePiece model; source ["__en__", *pieces, "</s>"], target prefix "__az__".

Installed models live beside Argos packages in the models folder, each with workbench-model.json
(family, pairs, licence, size, checksum), written on install and read by `models list`.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.mt.archive import (ArchiveLimits, PackageError, damaged_zip_is_a_package_error, safe_extract)
from workbench.core.mt.packages import _inside, move_into_place

FAMILIES = ("marian", "nllb", "m2m100")
META = "workbench-model.json"
NLLB_CODES = {"en": "eng_Latn", "az": "azj_Latn", "tr": "tur_Latn", "ru": "rus_Cyrl", "uk": "ukr_Cyrl",
              "ka": "kat_Geor", "hy": "hye_Armn", "kk": "kaz_Cyrl", "uz": "uzn_Latn", "fa": "pes_Arab",
              "ar": "arb_Arab", "de": "deu_Latn", "fr": "fra_Latn", "es": "spa_Latn"}
# Positions the families' models were trained with; longer inputs are split (engine.py).
MAX_INPUT = {"marian": 512, "nllb": 1024, "m2m100": 1024}
FAMILY_LICENCE = {"nllb": "CC-BY-NC-4.0", "m2m100": "MIT", "marian": "CC-BY-4.0"}
SPM_NAMES = ("sentencepiece.bpe.model", "sentencepiece.model", "spm.128k.model", "spm.model")


def lang_token(family: str, lang: str) -> str:
    """The language token NLLB / M2M-100 put first in the source and the target."""
    if family == "nllb":
        return NLLB_CODES.get(lang, lang)
    return f"__{lang}__"


@dataclass(frozen=True)
class FamilyModel:
    name: str
    family: str
    path: Path
    pairs: tuple[str, ...]
    licence: str
    size: int
    checksum: str
    target_tokens: dict = field(default_factory=dict)
    max_input_length: int = 1024
    add_source_eos: bool = False

    def serves(self, source: str, target: str) -> bool:
        return f"{source}-{target}" in self.pairs

    def tokenizer_files(self) -> tuple[Path, Path]:
        """(source, target) SentencePiece models."""
        if self.family == "marian":
            return self.path / "source.spm", self.path / "target.spm"
        spm = _spm_file(self.path)
        return spm, spm

    def source_affixes(self, source: str, target: str) -> tuple[list[str], list[str]]:
        """Tokens before and after the source pieces."""
        eos = [] if self.add_source_eos else ["</s>"]
        if self.family == "marian":
            token = self.target_tokens.get(target)
            return ([token] if token else []), eos
        return [lang_token(self.family, source)], eos

    def target_prefix(self, target: str) -> list[str]:
        return [] if self.family == "marian" else [lang_token(self.family, target)]

    def to_json(self) -> dict:
        return {"name": self.name, "family": self.family, "pairs": list(self.pairs), "size": self.size,
                "licence": self.licence, "checksum": self.checksum, "path": str(self.path),
                "target_tokens": dict(self.target_tokens), "max_input_length": self.max_input_length}


def _spm_file(folder: Path) -> Path | None:
    for name in SPM_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def vocabulary(folder: Path) -> list[str]:
    for stem in ("shared_vocabulary", "source_vocabulary"):
        if (folder / f"{stem}.json").is_file():
            return json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        if (folder / f"{stem}.txt").is_file():
            return (folder / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    raise PackageError(f"{folder}: no shared_vocabulary.json or source_vocabulary.json; "
                       "is this a CTranslate2 model folder?")


def detect_family(folder: Path) -> str | None:
    if (folder / "source.spm").is_file() and (folder / "target.spm").is_file():
        return "marian"
    vocab = set(vocabulary(folder))
    if "eng_Latn" in vocab:
        return "nllb"
    if "__en__" in vocab:
        return "m2m100"
    return None


def _licence(folder: Path, family: str) -> str:
    """From the model card's front matter (`license: ...`) or a LICENSE file, else the family's."""
    readme = folder / "README.md"
    if readme.is_file():
        match = re.search(r"^licen[cs]e:\s*([^\s#]+)", readme.read_text(encoding="utf-8", errors="replace")[:4000],
                          re.MULTILINE | re.IGNORECASE)
        if match:
            return match.group(1).strip("'\"")
    for name in ("LICENSE", "LICENSE.txt", "LICENCE"):
        if (folder / name).is_file():
            first = (folder / name).read_text(encoding="utf-8", errors="replace").strip().splitlines()
            if first:
                return first[0].strip()[:80]
    return f"{FAMILY_LICENCE[family]} (the family's usual licence; check the model card)"


def _checksum(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != META):
        digest.update(path.relative_to(folder).as_posix().encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _unpack(source: Path, staging: Path, limits: ArchiveLimits) -> Path:
    """The model folder inside `source` (a folder, or a zip unpacked within `limits`)."""
    if source.is_dir():
        root = source
    else:
        try:
            archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise PackageError(f"{source}: neither a model folder nor a zip archive") from None
        with archive, damaged_zip_is_a_package_error(str(source)):
            safe_extract(archive, staging / "unzipped", str(source), limits)
        root = staging / "unzipped"
    candidates = [root] + sorted(p for p in root.iterdir() if p.is_dir())
    for folder in candidates:
        if (folder / "model.bin").is_file():
            return folder
    raise PackageError(f"{source}: no model.bin; a CTranslate2 model folder holds model.bin, config.json "
                       "and a vocabulary (docs/operations.md, 'MT models', has the conversion commands)")


def _pairs_from_name(name: str) -> list[str]:
    match = re.search(r"opus-mt-([a-z]{2,3})-([a-z]{2,3})\b", name)
    return [f"{match.group(1)}-{match.group(2)}"] if match else []


def install(source: Path, models_dir: Path, *, family: str | None = None, name: str | None = None,
            pairs: list[str] | None = None, target_tokens: dict[str, str] | None = None,
            licence: str | None = None, limits: ArchiveLimits = ArchiveLimits()) -> FamilyModel:
    """Check a model folder or zip, copy it into the models folder atomically, record its facts."""
    source = Path(source)
    if not source.exists():
        raise PackageError(f"{source}: no such file or folder")
    models_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=models_dir))
    try:
        folder = _unpack(source, staging, limits)
        detected = detect_family(folder)
        family = family or detected
        if family not in FAMILIES:
            raise PackageError(f"{source}: cannot tell the model family from its files; name it with "
                               f"--family ({', '.join(FAMILIES)})")
        vocab = set(vocabulary(folder))
        if family == "marian":
            missing = [f for f in ("source.spm", "target.spm") if not (folder / f).is_file()]
        else:
            missing = [] if _spm_file(folder) else [" or ".join(SPM_NAMES)]
        if missing:
            raise PackageError(f"{source}: a {family} model needs {', '.join(missing)} beside model.bin "
                               "(copy it with the converter's --copy_files)")
        name = name or re.sub(r"[^A-Za-z0-9_.-]+", "-", source.stem if source.is_file() else source.name)
        pairs = list(pairs or [])
        if not pairs and family == "marian":
            pairs = _pairs_from_name(name)
        if not pairs and family != "marian":
            langs = [lang for lang in NLLB_CODES if lang_token(family, lang) in vocab]
            pairs = [f"en-{lang}" for lang in langs if lang != "en"] if "en" in langs else []
        if not pairs:
            raise PackageError(f"{source}: name the language pairs it serves with --pair en-az (repeatable)")
        for pair in pairs:
            if not re.fullmatch(r"[a-z]{2,3}-[a-z]{2,3}", pair):
                raise PackageError(f"--pair {pair!r}: write it as source-target, e.g. en-az")
        tokens = dict(target_tokens or {})
        for lang, token in tokens.items():
            if token not in vocab:
                raise PackageError(f"--target-token {lang}={token}: the model's vocabulary has no {token!r}")
        if family == "marian":
            multi = sorted(t for t in vocab if re.fullmatch(r">>[^<>\s]+<<", t))
            lacking = [p for p in pairs if p.split("-")[1] not in tokens]
            if multi and lacking:
                raise PackageError(f"{source}: a multi-target model needs a target token per language; give "
                                   f"--target-token {lacking[0].split('-')[1]}=>>xxx<< (it knows "
                                   f"{', '.join(multi[:8])}{' ...' if len(multi) > 8 else ''})")
        else:
            for pair in pairs:
                for lang in pair.split("-"):
                    if lang_token(family, lang) not in vocab:
                        raise PackageError(f"{source}: the {family} vocabulary has no {lang_token(family, lang)!r} "
                                           f"token for {lang!r}; it cannot serve {pair}")
        config = json.loads((folder / "config.json").read_text(encoding="utf-8")) \
            if (folder / "config.json").is_file() else {}
        meta = {"name": name, "family": family, "pairs": pairs, "target_tokens": tokens,
                "licence": licence or _licence(folder, family),
                "size": sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()),
                "checksum": _checksum(folder), "max_input_length": MAX_INPUT[family],
                "add_source_eos": bool(config.get("add_source_eos"))}
        target = staging / "model"
        shutil.copytree(folder, target)
        (target / META).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        final = _inside(models_dir, name, source)
        move_into_place(target, final, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return load(final)


def load(folder: Path) -> FamilyModel:
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PackageError(f"{folder}: unreadable {META} ({err}); install the model again") from None
    return FamilyModel(name=meta["name"], family=meta["family"], path=folder, pairs=tuple(meta["pairs"]),
                       licence=meta["licence"], size=meta["size"], checksum=meta["checksum"],
                       target_tokens=meta.get("target_tokens") or {},
                       max_input_length=meta.get("max_input_length", 1024),
                       add_source_eos=meta.get("add_source_eos", False))


def installed(models_dir: Path) -> list[FamilyModel]:
    if not models_dir.is_dir():
        return []
    return [load(folder) for folder in sorted(models_dir.iterdir())
            if folder.is_dir() and not folder.name.startswith(".") and (folder / META).exists()]


def find(models_dir: Path, source: str, target: str, name: str | None = None) -> FamilyModel | None:
    return next((m for m in installed(models_dir)
                 if m.serves(source, target) and (name is None or m.name == name)), None)


def remove(models_dir: Path, model: FamilyModel) -> None:
    trash = models_dir / f".removing-{model.path.name}"
    model.path.rename(trash)
    shutil.rmtree(trash, ignore_errors=True)
