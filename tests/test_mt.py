"""The MT engine on real (tiny, random-weight) .argosmodel packages: install, load, translate."""

import json
import zipfile

import pytest

from workbench.core.mt import packages
from workbench.core.mt.engine import MissingModel, MTSettings, PivotEngine, get_engine, resolve_packages


def test_install_list_and_remove(tmp_path, tiny_packages):
    models = tmp_path / "models"
    package = packages.install(tiny_packages["en_az"], models)
    assert (package.from_code, package.to_code, package.version) == ("en", "az", "1.0")
    assert (package.path / "model" / "model.bin").exists()
    assert [p.pair for p in packages.installed(models)] == ["en-az"]
    assert not [p for p in models.iterdir() if p.name.startswith(".")]  # no staging left behind
    packages.install(tiny_packages["en_az"], models)  # same pair again: replaced, still one
    assert [p.pair for p in packages.installed(models)] == ["en-az"]
    packages.remove(models, "en-az")
    assert packages.installed(models) == []
    with pytest.raises(packages.PackageError, match="no installed package"):
        packages.remove(models, "en-az")


def _zip(path, entries: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


META = json.dumps({"from_code": "en", "to_code": "az", "package_version": "1"}).encode()


@pytest.mark.parametrize("entries,message", [
    ({"../evil/metadata.json": META}, "unsafe path"),
    ({"/abs/metadata.json": META}, "unsafe path"),
    ({"a/metadata.json": META, "b/x": b""}, "one top folder"),
    ({"p/model/model.bin": b"x", "p/sentencepiece.model": b"x"}, "no p/metadata.json"),
    ({"p/metadata.json": b"{nope", "p/model/model.bin": b"x"}, "not valid JSON"),
    ({"p/metadata.json": META, "p/sentencepiece.model": b"x"}, "no CTranslate2 model"),
    ({"p/metadata.json": META, "p/model/model.bin": b"x"}, "tokenizer"),
])
def test_bad_packages_are_refused_and_nothing_is_installed(tmp_path, entries, message):
    models = tmp_path / "models"
    with pytest.raises(packages.PackageError, match=message):
        packages.install(_zip(tmp_path / "bad.argosmodel", entries), models)
    assert packages.installed(models) == []
    assert not [p for p in models.iterdir()] if models.exists() else True


def test_not_a_zip(tmp_path):
    (tmp_path / "x.argosmodel").write_text("hello")
    with pytest.raises(packages.PackageError, match="not a zip archive"):
        packages.install(tmp_path / "x.argosmodel", tmp_path / "models")


def test_batched_translation_with_alternatives(tmp_path, tiny_packages):
    models = tmp_path / "models"
    packages.install(tiny_packages["en_az"], models)
    engine = get_engine(models, "en", "az", MTSettings(beam_size=4, num_hypotheses=4, chunk_size=2))
    assert engine is get_engine(models, "en", "az", MTSettings(beam_size=4, num_hypotheses=4, chunk_size=2))
    texts = ["The army said on Monday.", "Baku and Ankara held talks on defence cooperation.",
             "Troops.", "The minister signed a decree on mobilization in 2020."]
    results = engine.translate(texts)
    assert len(results) == len(texts)
    for hypotheses in results:
        assert len(hypotheses) >= 3  # n-best kept (duplicates removed)
        assert all(isinstance(h.text, str) and h.text for h in hypotheses)
        assert [h.score for h in hypotheses] == sorted((h.score for h in hypotheses), reverse=True)
    # Chunks are sorted by length internally (so the input order does not change them), but
    # results come back in input order:
    reversed_results = engine.translate(texts[::-1])
    assert [r[0].text for r in reversed_results] == [r[0].text for r in results][::-1]
    assert engine.origin == "mt:translate-en_az-1_0"


def test_missing_pair_names_the_pair_and_the_install_command(tmp_path):
    with pytest.raises(MissingModel, match=r"en->tr.*workbench models install translate-en_tr"):
        get_engine(tmp_path / "models", "en", "tr")


def test_pivot_through_english(tmp_path, tiny_packages):
    models = tmp_path / "models"
    packages.install(tiny_packages["az_en"], models)
    packages.install(tiny_packages["en_ru"], models)
    assert [p.pair for p in resolve_packages(models, "az", "ru")] == ["az-en", "en-ru"]
    engine = get_engine(models, "az", "ru", MTSettings(num_hypotheses=2, beam_size=2))
    assert isinstance(engine, PivotEngine)
    assert engine.origin == "mt:translate-az_en-1_0+translate-en_ru-1_0"
    assert len(engine.translate(["Bakıda danışıqlar."])[0]) >= 1


def test_target_prefix_is_forced_and_stripped(tmp_path):
    from workbench.core.mt.synthetic import build_argos_package

    package = build_argos_package(tmp_path / "p.argosmodel", "en", "tr", target_prefix="talks", seed=3)
    models = tmp_path / "models"
    installed = packages.install(package, models)
    assert installed.target_prefix == "talks"
    (hypotheses,) = get_engine(models, "en", "tr", MTSettings(num_hypotheses=2, beam_size=2)).translate(["Troops."])
    assert hypotheses and not any(h.text.startswith("talks") for h in hypotheses)


def test_greedy_keeps_one_hypothesis(tmp_path, tiny_packages):
    models = tmp_path / "models"
    packages.install(tiny_packages["en_az"], models)
    (hypotheses,) = get_engine(models, "en", "az", MTSettings(beam_size=1, num_hypotheses=4)).translate(["Troops."])
    assert len(hypotheses) == 1


def test_install_times_the_layouts_and_the_engine_uses_the_winner(cli, instance, tiny_packages, monkeypatch):
    monkeypatch.delenv("WORKBENCH_NO_TUNE")  # as a newsroom installs: the sweep runs
    installed = cli("models", "install", str(tiny_packages["en_az"]))
    rows = [line.split() for line in installed.output.splitlines() if line.strip()[:1].isdigit()]
    from workbench.core.mt.tune import CHUNK_SIZES, layouts
    assert len(rows) == len(CHUNK_SIZES) * len(layouts())  # no manual `models tune` step
    best = max(rows, key=lambda r: float(r[3]))
    settings = instance.mt_settings()
    assert (settings.chunk_size, settings.inter_threads, settings.intra_threads) == tuple(map(int, best[:3]))
    engine = get_engine(instance.models_dir, "en", "az", settings)
    assert engine.settings.chunk_size == int(best[0]) and engine.settings.inter_threads == int(best[1])
    as_json = cli.json("models", "install", str(tiny_packages["en_tr"]))
    assert as_json["tuned"]["chunk_size"] in CHUNK_SIZES and as_json["installed"][0]["pairs"] == ["en-tr"]


def test_install_without_tuning_leaves_the_settings_alone(cli, instance, tiny_packages, monkeypatch):
    monkeypatch.delenv("WORKBENCH_NO_TUNE")
    installed = cli("models", "install", "--no-tune", str(tiny_packages["en_az"]))
    assert "workbench models tune en-az" in installed.output  # it suggests tuning instead
    assert "chunk_size" not in instance.settings().get("mt", {})


def test_sweep_keeps_one_translator_alive_at_a_time(tmp_path, tiny_packages):
    from workbench.core.mt import engine as engine_module
    from workbench.core.mt.tune import sweep

    models = tmp_path / "models"
    packages.install(tiny_packages["en_az"], models)
    get_engine(models, "en", "az", MTSettings(chunk_size=3)).translate(["Troops."])  # loaded before the sweep
    alive = []

    def make(trial):
        alive.append(len(engine_module._translators))
        return get_engine(models, "en", "az", trial)

    rows = sweep(make, MTSettings(beam_size=2, num_hypotheses=2), sentences=8, chunk_sizes=(4, 8),
                 thread_layouts=[(2, 1), (1, 2)])
    assert alive == [0, 0, 0, 0] and engine_module._translators == {}
    assert [(r.chunk_size, r.inter_threads, r.intra_threads) for r in rows] == [(4, 2, 1), (8, 2, 1), (4, 1, 2), (8, 1, 2)]


def test_tune_sweeps_layouts_and_keeps_the_best_in_the_settings_file(cli, instance, tiny_packages):
    cli("models", "install", "--no-tune", str(tiny_packages["en_az"]))
    instance.settings_file.write_text("# our newsroom\n[mt]\nbeam_size = 2  # fast drafts\n", encoding="utf-8")
    result = cli("models", "tune", "en-az", "--sentences", "8", "--chunk-sizes", "4,8")
    rows = [line.split() for line in result.output.splitlines() if line.strip()[:1].isdigit()]
    from workbench.core.mt.tune import layouts
    assert len(rows) == 2 * len(layouts())
    assert {int(r[0]) for r in rows} == {4, 8}
    text = instance.settings_file.read_text(encoding="utf-8")
    assert "# our newsroom" in text and "# fast drafts" in text  # the file keeps what people wrote
    settings = instance.mt_settings()
    assert settings.beam_size == 2 and settings.chunk_size in (4, 8)
    best = max(rows, key=lambda r: float(r[3]))
    assert (settings.chunk_size, settings.inter_threads, settings.intra_threads) == tuple(map(int, best[:3]))
    assert f"Best: chunks of {settings.chunk_size}" in result.output


def test_tune_names_a_missing_pair(cli, tiny_packages):
    cli("models", "install", str(tiny_packages["en_az"]))
    result = cli("models", "tune", "en-ru", ok=False)
    assert result.exit_code != 0 and "no installed model for en-ru" in result.output and "en-az" in result.output


def test_allocator_thresholds_are_set_on_glibc():
    import platform

    from workbench.core.mt.alloc import tune_allocator
    if platform.libc_ver()[0] != "glibc":
        pytest.skip("mallopt is glibc's")
    assert tune_allocator() is True
