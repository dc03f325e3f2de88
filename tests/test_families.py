"""Marian, NLLB-200 and M2M-100 models (tiny, random weights, real tokenisers with the special tokens):
install, detection, licence, special tokens and prefixes, long inputs, engine choice, index installs."""

import dataclasses
import json
import shutil
import zipfile

import pytest

from workbench.data import store
from workbench.core.mt import engine as engine_module
from workbench.core.mt import families
from workbench.core.mt.engine import MTSettings, get_engine
from workbench.core.mt.synthetic import build_family_model
from workbench.core.segment import segment_text

SETTINGS = MTSettings(beam_size=2, num_hypotheses=2, inter_threads=1)


class Spy:
    """Records what CTranslate2 is asked to translate, then lets the real translator do it."""

    def __init__(self, real):
        self.real, self.calls = real, []

    def translate_batch(self, source, target_prefix=None, **kwargs):
        self.calls.append({"source": source, "target_prefix": target_prefix, **kwargs})
        return self.real.translate_batch(source, target_prefix=target_prefix, **kwargs)


@pytest.fixture
def spy(monkeypatch):
    spies = []
    real = engine_module._translator

    def wrapped(model_dir, settings):
        spies.append(Spy(real(model_dir, settings)))
        return spies[-1]

    monkeypatch.setattr(engine_module, "_translator", wrapped)
    return spies


def test_families_are_detected_and_listed_with_pairs_size_and_licence(cli, instance, family_models):
    cli("models", "install", str(family_models["nllb"]), "--name", "nllb-tiny")
    cli("models", "install", str(family_models["m2m100"]))
    models = {m["name"]: m for m in cli.json("models", "list")["models"]}
    assert models["nllb-tiny"]["family"] == "nllb" and models["m2m-tiny"]["family"] == "m2m100"
    assert models["nllb-tiny"]["pairs"] == ["en-az", "en-tr", "en-ru"]
    assert models["nllb-tiny"]["licence"] == "cc-by-nc-4.0"  # from the model card: NLLB is non-commercial
    assert models["nllb-tiny"]["size"] > 10_000 and len(models["nllb-tiny"]["checksum"]) == 64
    assert "CC-BY-NC" in cli("models", "list").output.upper()


def test_nllb_source_tokens_target_prefix_and_stripped_hypotheses(tmp_path, family_models, spy):
    model = families.install(family_models["nllb"], tmp_path / "models")
    engine = get_engine(tmp_path / "models", "en", "az", SETTINGS)
    assert engine.origin == f"mt:{model.name}"
    hypotheses = engine.translate(["The minister met officials in Baku.", "Talks were held."])
    call = spy[-1].calls[-1]
    assert all(src[0] == "eng_Latn" and src[-1] == "</s>" for src in call["source"])
    assert call["target_prefix"] == [["azj_Latn"]] * 2
    assert all(h and not any("azj_Latn" in x.text for x in h) for h in hypotheses)
    get_engine(tmp_path / "models", "en", "ru", SETTINGS).translate(["Talks."])
    assert spy[-1].calls[-1]["target_prefix"] == [["rus_Cyrl"]]


def test_m2m100_language_tokens(tmp_path, family_models, spy):
    families.install(family_models["m2m100"], tmp_path / "models")
    get_engine(tmp_path / "models", "en", "tr", SETTINGS).translate(["Officials met on Monday."])
    call = spy[-1].calls[-1]
    assert call["source"][0][0] == "__en__" and call["source"][0][-1] == "</s>"
    assert call["target_prefix"] == [["__tr__"]]


def test_multi_target_marian_needs_and_uses_target_tokens(tmp_path, family_models, spy):
    models = tmp_path / "models"
    with pytest.raises(families.PackageError, match="target token per language"):
        families.install(family_models["marian"], models, pairs=["en-az"])
    with pytest.raises(families.PackageError, match="vocabulary has no"):
        families.install(family_models["marian"], models, pairs=["en-az"], target_tokens={"az": ">>xyz<<"})
    model = families.install(family_models["marian"], models, pairs=["en-az", "en-tr"],
                             target_tokens={"az": ">>aze_Latn<<", "tr": ">>tur<<"})
    assert model.family == "marian" and model.licence == "cc-by-4.0"
    hypotheses = get_engine(models, "en", "az", SETTINGS).translate(["The army said."])
    call = spy[-1].calls[-1]
    assert call["source"][0][0] == ">>aze_Latn<<" and call["target_prefix"] is None
    assert hypotheses[0][0].text  # decoded with target.spm


def test_marian_pair_from_the_opus_name_and_zip_install(cli, tmp_path, family_models):
    single = build_family_model(tmp_path / "opus-mt-en-az", "marian", seed=6)
    archive = shutil.make_archive(str(tmp_path / "opus-mt-en-az"), "zip", tmp_path, "opus-mt-en-az")
    shutil.rmtree(single)
    out = cli.json("models", "install", archive)["installed"][0]
    assert out["family"] == "marian" and out["pairs"] == ["en-az"]


def test_unknown_family_and_unsafe_zip_are_refused(tmp_path, family_models):
    folder = tmp_path / "plain"
    shutil.copytree(family_models["m2m100"], folder)
    vocab = json.loads((folder / "shared_vocabulary.json").read_text())
    (folder / "shared_vocabulary.json").write_text(json.dumps([t for t in vocab if not t.startswith("__")]))
    with pytest.raises(families.PackageError, match="--family"):
        families.install(folder, tmp_path / "models")
    with pytest.raises(families.PackageError, match="no '__en__' token"):
        families.install(folder, tmp_path / "models", family="m2m100", pairs=["en-az"])
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("../evil/model.bin", b"x")
    with pytest.raises(families.PackageError, match="unsafe path"):
        families.install(bad, tmp_path / "models")
    assert families.installed(tmp_path / "models") == []


def test_inputs_longer_than_the_model_limit_are_split_not_truncated(tmp_path, family_models, spy):
    model = families.install(family_models["nllb"], tmp_path / "models")
    engine = engine_module.FamilyEngine(dataclasses.replace(model, max_input_length=16), "en", "az", SETTINGS)
    text = " ".join(["The minister met officials in Baku, and talks were held on Monday."] * 4)
    pieces = engine._load()[1][0](text)
    assert len(pieces) > 40
    hypotheses = engine.translate([text, "Short."])
    sources = [src for call in spy[-1].calls for src in call["source"]]
    assert all(len(src) <= 16 for src in sources)
    inner = [tok for src in sources if src[1:-1] != engine._load()[1][0]("Short.") for tok in src[1:-1]]
    assert sorted(inner) == sorted(pieces)  # every token went in (parts are sorted by length), none dropped
    assert len(hypotheses) == 2 and hypotheses[0][0].text


def test_split_tokens_prefers_punctuation_and_word_starts():
    tokens = ["\u2581a", "b", ",", "\u2581c", "d", "\u2581e", "f", "."]
    assert engine_module.split_tokens(tokens, 4) == [["\u2581a", "b", ","], ["\u2581c", "d", "\u2581e", "f"], ["."]]
    assert sum(engine_module.split_tokens(tokens, 3), []) == tokens


def test_engine_choice_per_language_and_drafts_name_their_engine(cli, instance, tiny_packages, family_models):
    cli("models", "install", str(tiny_packages["en_az"]))
    cli("models", "install", str(family_models["nllb"]), "--name", "nllb-tiny")
    db = instance.db()
    article = store.create_article(db, title="t", byline=None, filename=None, fmt="txt",
                                   segmentation=segment_text("Officials met in Baku. Talks were held."))
    cli("translate", "--to", "az,ru", "--beam-size", "2", "--hypotheses", "2")
    origins = {lang: {r["origin"] for r in store.article_translations(db, article, lang).values()}
               for lang in ("az", "ru")}
    assert origins == {"az": {"mt:translate-en_az-1_0"}, "ru": {"mt:nllb-tiny"}}  # Argos first, else a family
    instance.settings_file.write_text('[mt.engines]\naz = "nllb-tiny"\n', encoding="utf-8")
    cli("translate", "--to", "az", "--force", "--beam-size", "2", "--hypotheses", "2")
    assert {r["origin"] for r in store.article_translations(db, article, "az").values()} == {"mt:nllb-tiny"}
    stats = cli.json("stats")["groups"]  # the Effort page and `stats` compare engines per language
    assert {(g["lang"], g["origin"]) for g in stats} == {("az", "mt:nllb-tiny"), ("ru", "mt:nllb-tiny")}
    instance.settings_file.write_text('[mt.engines]\naz = "nope"\n', encoding="utf-8")
    result = cli("translate", "--to", "az", ok=False)
    assert result.exit_code == 1 and "'nope' chosen for az" in result.output and "nllb-tiny" in result.output


def test_install_from_a_local_argos_index(cli, tmp_path, tiny_packages):
    index = tmp_path / "index.json"
    index.write_text(json.dumps([
        {"from_code": "en", "to_code": "az", "package_version": "0.9", "links": ["file:///nowhere.argosmodel"]},
        {"from_code": "en", "to_code": "az", "package_version": "1.0",
         "links": [tiny_packages["en_az"].as_uri()]},
        {"from_code": "en", "to_code": "tr", "package_version": "1.0", "links": ["file:///nowhere"]}]))
    out = cli.json("models", "install", "--index", index.as_uri(), "en-az")["installed"][0]
    assert out["pairs"] == ["en-az"] and out["family"] == "argos" and out["version"] == "1.0"
    missing = cli("models", "install", "--index", index.as_uri(), "en-ru", ok=False)
    assert missing.exit_code == 1 and "no package for en-ru" in missing.output


def test_target_tokens_on_the_command_line(cli, family_models):
    bad = cli("models", "install", str(family_models["marian"]), "--pair", "en-az", "--target-token", "az", ok=False)
    assert bad.exit_code == 2 and "LANG=TOKEN" in bad.output
    out = cli.json("models", "install", str(family_models["marian"]), "--pair", "en-az",
                   "--target-token", "az=>>aze_Latn<<", "--licence", "Apache-2.0")["installed"][0]
    assert out["target_tokens"] == {"az": ">>aze_Latn<<"} and out["licence"] == "Apache-2.0"
