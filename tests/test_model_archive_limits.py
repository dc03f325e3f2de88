"""A model archive is bounded before it is unpacked: declared sizes, entries and compression ratio
are checked first, the bytes written are counted while extracting, and nothing is left behind."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest

from workbench.core.mt import archive, families, index, packages
from workbench.core.mt.archive import ArchiveLimits

MB = 1024 * 1024


def _with_extra(source, out, extra: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    """A copy of a package with members added under its top folder (deflated: zeros shrink ~1000x)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as copy:
        top = original.namelist()[0].split("/")[0]
        for info in original.infolist():
            copy.writestr(info, original.read(info))
        for name, data in extra.items():
            copy.writestr(f"{top}/{name}", data, compress_type=compression)
    return out


def _leftovers(models):
    return sorted(os.listdir(models)) if models.exists() else []


def test_a_zip_bomb_package_is_refused_before_anything_is_extracted(tmp_path, tiny_packages, monkeypatch):
    bomb = _with_extra(tiny_packages["en_az"], tmp_path / "translate-en_az-9.argosmodel",
                       {"model/padding.bin": b"\0" * (40 * MB)})
    assert bomb.stat().st_size < 2 * MB  # 40 MB of zeros in about 1.1 MB: a ratio near 1000
    models = tmp_path / "models"
    written = []
    monkeypatch.setattr(archive, "copy_member", lambda *args: written.append(args))
    with pytest.raises(packages.PackageError) as refused:
        packages.install(bomb, models, name="translate-en_az-9.argosmodel")
    message = str(refused.value)
    assert message.startswith("translate-en_az-9.argosmodel: ") and "model/padding.bin" in message
    assert "limit of 200" in message and "[models] max_ratio" in message
    assert written == [] and _leftovers(models) == []


@pytest.mark.parametrize("setting,value,expected", [
    ("max_unpacked_bytes", MB, "would unpack to"),
    ("max_member_bytes", 900_000, "model/model.bin would unpack to"),
    ("max_entries", 5, "holds 7 files"),
])
def test_each_limit_is_a_setting_and_names_the_file(cli, instance, tiny_packages, setting, value, expected):
    instance.settings_file.write_text(f"[models]\n{setting} = {value}\n", encoding="utf-8")
    result = cli("models", "install", str(tiny_packages["en_az"]), ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(tiny_packages["en_az"]) in result.output and expected in result.output
    assert f"{value:,}" in result.output and f"[models] {setting}" in result.output
    assert _leftovers(instance.models_dir) == []
    instance.settings_file.write_text("", encoding="utf-8")
    assert cli.json("models", "install", str(tiny_packages["en_az"]))["installed"][0]["pairs"] == ["en-az"]


@pytest.mark.parametrize("toml,error", [
    ("[models]\nmax_ratio = 'high'\n", "max_ratio must be a whole number above 0"),
    ("[models]\nmax_ratio = 0\n", "max_ratio must be a whole number above 0"),
    ("[models]\nmax_size = 5\n", "no setting 'max_size'"),
    ("models = 5\n", "[models] must be a table"),
])
def test_bad_limit_settings_are_refused_by_name(cli, instance, tiny_packages, toml, error):
    instance.settings_file.write_text(toml, encoding="utf-8")
    result = cli("models", "install", str(tiny_packages["en_az"]), ok=False)
    assert result.exit_code == 1 and error in result.output and "workbench.toml" in result.output
    assert _leftovers(instance.models_dir) == []


class _Lying(io.RawIOBase):
    """A member stream that goes on past what its header declared."""

    def __init__(self, size: int):
        self.left = size

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left)
        buffer[:n] = b"\0" * n
        self.left -= n
        return n


def test_the_bytes_written_are_counted_whatever_the_header_declares(tmp_path):
    # CPython's zipfile stops at the declared size itself; the count guards the writer anyway.
    budget = archive._Budget("p.argosmodel", ArchiveLimits(max_unpacked_bytes=10 * MB))
    with pytest.raises(packages.PackageError, match=r"p.argosmodel: big.bin unpacks past the 1,000 bytes"):
        archive.copy_member(_Lying(3 * MB), io.BytesIO(), "big.bin", 1000, budget)
    total = archive._Budget("p.argosmodel", ArchiveLimits(max_unpacked_bytes=3 * MB))
    archive.copy_member(_Lying(2 * MB), io.BytesIO(), "a.bin", 2 * MB, total)
    with pytest.raises(packages.PackageError, match=r"unpacks past the limit of 3,145,728 bytes"):
        archive.copy_member(_Lying(2 * MB), io.BytesIO(), "b.bin", 2 * MB, total)


def test_a_lying_central_directory_is_refused_and_nothing_is_left(tmp_path, tiny_packages):
    package = _with_extra(tiny_packages["en_az"], tmp_path / "lying.argosmodel",
                          {"model/padding.bin": os.urandom(64 * 1024)}, zipfile.ZIP_STORED)
    data = bytearray(package.read_bytes())
    # Declare 100 bytes for the padding in the central directory: extraction must stop there.
    name = b"translate-en_az-1_0/model/padding.bin"
    central = data.rindex(name) - 46
    assert data[central:central + 4] == b"PK\x01\x02"
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    package.write_bytes(bytes(data))
    models = tmp_path / "models"
    with pytest.raises(packages.PackageError, match="lying.argosmodel: the archive cannot be read"):
        packages.install(package, models)
    assert _leftovers(models) == []


def test_metadata_is_read_within_a_bound(tmp_path, tiny_packages):
    big = tmp_path / "big-meta.argosmodel"
    with zipfile.ZipFile(tiny_packages["en_az"]) as original, zipfile.ZipFile(big, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename.endswith("metadata.json"):
                data = data.rstrip(b"}") + b"," + b" " * (2 * MB) + b'"x": 1}'
            copy.writestr(info.filename, data, compress_type=zipfile.ZIP_STORED)
    with pytest.raises(packages.PackageError, match="metadata.json is larger than 1,048,576 bytes"):
        packages.install(big, tmp_path / "models")
    assert _leftovers(tmp_path / "models") == []


def test_a_zipped_family_model_is_bounded_too(tmp_path):
    from workbench.core.mt.synthetic import build_family_model

    model = build_family_model(tmp_path / "opus-mt-en-az", "marian", seed=6)
    zipped, bomb = tmp_path / "opus-mt-en-az.zip", tmp_path / "bomb" / "opus-mt-en-az.zip"
    bomb.parent.mkdir()
    for target, padding in ((zipped, None), (bomb, b"\0" * (40 * MB))):
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for path in sorted(model.rglob("*")):
                out.write(path, f"opus-mt-en-az/{path.relative_to(model)}")
            if padding:
                out.writestr("opus-mt-en-az/padding.bin", padding)
    models = tmp_path / "models"
    with pytest.raises(packages.PackageError, match=r"opus-mt-en-az.zip: .*padding.bin is compressed .* max_ratio"):
        families.install(bomb, models, pairs=["en-az"])
    assert _leftovers(models) == []
    with pytest.raises(packages.PackageError, match=r"would unpack to .* limit of 100,000 bytes"):
        families.install(zipped, models, pairs=["en-az"], limits=ArchiveLimits(max_unpacked_bytes=100_000))
    assert _leftovers(models) == []
    assert list(families.install(zipped, models, pairs=["en-az"]).pairs) == ["en-az"]


def test_an_index_download_larger_than_the_limit_is_refused(tmp_path, tiny_packages):
    listing = tmp_path / "index.json"
    listing.write_text(json.dumps([{"from_code": "en", "to_code": "az", "package_version": "1.0",
                                    "links": [tiny_packages["en_az"].as_uri()]}]))
    models = tmp_path / "models"
    with pytest.raises(packages.PackageError, match=r"download is larger than 100,000 bytes .*max_unpacked_bytes"):
        index.install_from_index(listing.as_uri(), "en-az", models, ArchiveLimits(max_unpacked_bytes=100_000))
    assert _leftovers(models) == []
