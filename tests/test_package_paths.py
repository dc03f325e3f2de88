"""A hostile .argosmodel cannot reach outside the models folder through its metadata."""

import json
import os
import zipfile

import pytest

from workbench.core.mt import packages


def _hostile(path, from_code, to_code="az"):
    meta = json.dumps({"from_code": from_code, "to_code": to_code, "package_version": "1"}).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in {"p/metadata.json": meta, "p/model/model.bin": b"x",
                           "p/sentencepiece.model": b"x", "p/PWNED": b"written by the package"}.items():
            archive.writestr(name, data)
    return path


def _snapshot(root):
    return sorted((str(p.relative_to(root)), p.read_bytes() if p.is_file() else b"")
                  for p in root.rglob("*"))


@pytest.mark.parametrize("from_code,to_code", [
    ("../../victim/x", "az"), ("en", "../../victim/x"), ("..", "victim/x"), ("en/../../victim", "x"),
    ("en\n", "az"), ("EN", "az"), ("en", "az_Latn/.."), ("en", "az\\..\\..\\victim"), ("", "az"),
    ("en_", "az"), ("english", "az"),
])
def test_language_codes_outside_the_closed_pattern_are_refused(tmp_path, from_code, to_code):
    instance = tmp_path / "home" / "instance"
    models = instance / "models"
    models.mkdir(parents=True)
    victim = tmp_path / "home" / "victim" / "x_az"  # where '../../victim/x' + '_az' pointed
    victim.mkdir(parents=True)
    (victim / "precious.txt").write_text("keep me")
    (tmp_path / "home" / "victim" / "x").mkdir()
    before = _snapshot(tmp_path / "home")
    package = _hostile(tmp_path / "evil.argosmodel", from_code, to_code)
    with pytest.raises(packages.PackageError, match="not a language code|lacks"):
        packages.install(package, models)
    assert _snapshot(tmp_path / "home") == before  # nothing removed, renamed or written anywhere
    assert os.listdir(models) == []


def test_a_symlink_in_the_models_folder_is_not_followed(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me")
    (models / "en_az").symlink_to(outside, target_is_directory=True)
    with pytest.raises(packages.PackageError, match="outside the models folder"):
        packages.install(_hostile(tmp_path / "p.argosmodel", "en"), models)
    assert (outside / "precious.txt").read_text() == "keep me" and (models / "en_az").is_symlink()
    assert sorted(os.listdir(models)) == ["en_az"]


def test_script_subtags_are_valid_codes(tmp_path, monkeypatch):
    monkeypatch.setattr(packages, "_check_loads", lambda folder, label: None)  # the stub model.bin is not a model
    models = tmp_path / "models"
    installed = packages.install(_hostile(tmp_path / "p.argosmodel", "en", "zh_Hant"), models)
    assert installed.path == models / "en_zh_Hant" and (models / "en_zh_Hant" / "PWNED").exists()


@pytest.mark.parametrize("name", ["..", ".", ".hidden"])
def test_a_model_name_cannot_point_outside_or_at_hidden_folders(tmp_path, name):
    from workbench.core.mt import families
    from workbench.core.mt.synthetic import build_family_model

    instance = tmp_path / "instance"
    models = instance / "models"
    models.mkdir(parents=True)
    (instance / "workbench.db").write_text("keep me")
    model = build_family_model(tmp_path / "opus-mt-en-az", "marian", seed=6)
    with pytest.raises(packages.PackageError, match="outside the models folder"):
        families.install(model, models, name=name, pairs=["en-az"])
    assert (instance / "workbench.db").read_text() == "keep me" and os.listdir(models) == []
