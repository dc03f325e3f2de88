"""MT places the inline codes (issue 20): the engine sees the text without codes, the codes come
back by word alignment (core/mt/codes_placement.py), through every MT path."""


import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.core import codes
from workbench.core import qa
from workbench.core.document import Block
from workbench.core.mt import families, packages
from workbench.core.mt.codes_placement import compose, place
from workbench.core.mt.engine import Hypothesis, MTSettings, PivotEngine, get_engine, word_ids
from workbench.core.segment import segment_blocks
from workbench.data import store, tm
from workbench.services.machine_translation import translate_pending

O, C, P = codes.open_char, codes.close_char, codes.ph_char
SETTINGS = MTSettings(beam_size=2, num_hypotheses=2, inter_threads=1)


def labels(text: str) -> str:
    return codes.to_labels(text)


# ---- deterministic engines -------------------------------------------------------------------

class WordEngine:
    """Rewrites the words of each text with `change` (a function of the word list); records what it
    was given. With `aligned`, also gives the word alignment `change` implies (`mapping`)."""

    def __init__(self, change, mapping=None, origin="mt:words"):
        self.change, self.mapping, self.origin, self.seen = change, mapping, origin, []
        self.aligns = mapping is not None

    def translate(self, texts, align=False):
        self.seen.extend(texts)
        out = []
        for text in texts:
            words = text.split()
            alignment = tuple(self.mapping(len(words))) if align and self.mapping else None
            out.append([Hypothesis(" ".join(self.change(words)), 0.0, alignment)])
        return out


def identity(words):
    return words


def reverse(words):
    return words[::-1]


def drop(word):
    return lambda words: [w for w in words if w.strip(".,") != word]


def add_before(word, new):
    return lambda words: sum(([new, w] if w == word else [w] for w in words), [])


SOURCE = f"The {O(1)}army{C(1)} said on {O(2)}Monday{C(2)} that talks were held.{P(3)}"


@pytest.mark.parametrize("change,expected,warned", [
    (identity, "The {1}army{/1} said on {2}Monday{/2} that talks were held.{3/}", False),
    # a code at the sentence's end stays at its end
    (reverse, "held. were talks that {2}Monday{/2} on said {1}army{/1} The{3/}", False),
    (add_before("army", "brave"), "The brave {1}army{/1} said on {2}Monday{/2} that talks were held.{3/}", False),
    # "army" dropped: its pair has no word to wrap, so it goes round the whole sentence, flagged
    (drop("army"), "{1}The said on {2}Monday{/2} that talks were held.{/1}{3/}", True),
])
def test_fallback_aligner_places_codes_exactly(change, expected, warned):
    target = " ".join(change(codes.plain(SOURCE).split()))
    placed = place(SOURCE, target)
    assert labels(placed.text) == expected
    assert placed.by_position is warned
    assert codes.problems(SOURCE, placed.text) == []


def test_engine_alignment_is_used_where_no_word_matches():
    source = f"The {O(1)}army{C(1)} {O(2)}said{C(2)} it.{P(3)}"
    # "Ordu bunu dedi." : The army -> Ordu, it -> bunu, said -> dedi
    alignment = [(0, 0), (1, 0), (2, 2), (3, 1)]
    placed = place(source, "Ordu bunu dedi.", alignment)
    assert labels(placed.text) == "{1}Ordu{/1} bunu {2}dedi{/2}.{3/}"  # the full stop stays outside
    assert placed.by_position is False
    # without it the words are only matched by position (no equal words): a guess, flagged
    guessed = place(source, "Ordu bunu dedi.")
    assert guessed.by_position is True and codes.problems(source, guessed.text) == []


def test_crossing_alignment_goes_to_the_nearest_safe_place_and_is_flagged():
    source = f"{O(1)}a b{C(1)} {O(2)}c d{C(2)}"
    placed = place(source, "w x y z", [(0, 0), (1, 2), (2, 1), (3, 3)])  # pair 2 would cross pair 1
    assert labels(placed.text) == "{2}{1}w x y{/1} z{/2}"
    assert placed.by_position is True


def test_a_child_stays_inside_its_parent_and_nesting_is_kept():
    source = f"{O(1)}big {O(2)}red{C(2)} car{C(1)} stops."
    # red -> "qırmızı" inside the parent's words; stops -> a word outside
    placed = place(source, "böyük qırmızı maşın dayanır.", [(0, 0), (1, 1), (2, 2), (3, 3)])
    assert labels(placed.text) == "{1}böyük {2}qırmızı{/2} maşın{/1} dayanır."
    # an alignment pulling the child out of its parent is clipped to the parent's words
    clipped = place(source, "böyük qırmızı maşın dayanır.", [(0, 0), (1, 3), (2, 1)])
    assert codes.problems(source, clipped.text) == []
    assert labels(clipped.text).startswith("{1}böyük")


def test_empty_translation_and_sentence_wide_pairs():
    source = f"{O(1)}Breaking news{C(1)} today{P(2)}"
    empty = place(source, "")
    assert labels(empty.text) == "{1}{/1}{2/}" and empty.by_position
    whole = place(f"{O(1)}Breaking news{C(1)}", "Son xəbərlər")  # wraps everything: no doubt
    assert labels(whole.text) == "{1}Son xəbərlər{/1}" and not whole.by_position
    assert place("No codes here.", "Kodsuz.").text == "Kodsuz."
    # code characters an engine made up are dropped, the source's kept
    assert labels(place(f"a{P(1)} b", f"x{P(7)} y").text) == "x{1/} y"


def test_word_ids_and_pivot_alignment():
    assert word_ids(["\u2581The", "\u2581ar", "my", "\u2581", "."]) == [0, 1, 1, 2, 2]
    assert word_ids(["the", "ar@@", "my", "."]) == [0, 1, 1, 2]
    assert compose([(0, 1), (1, 0)], [(0, 2), (1, 0), (1, 1)]) == ((0, 0), (0, 1), (1, 2))
    assert compose(None, [(0, 0)]) is None


# ---- guarantees whatever the engine returns (property test) ----------------------------------

WORDS = st.sampled_from(["Baku", "army", "said", "the", "talks", "on", "Monday", ".", ",", "2020", "x"])


@st.composite
def tagged_sources(draw):
    """Random words with random codes: nested pairs, standalone ones, lone halves, empty pairs."""
    words = draw(st.lists(WORDS, min_size=0, max_size=12))
    out, stack, n = [], [], 0
    for word in words + [""]:
        for _ in range(draw(st.integers(0, 2))):
            action = draw(st.sampled_from(["open", "close", "ph", "lone"]))
            if action == "open" and n < 20:
                n += 1
                stack.append(n)
                out.append(O(n))
            elif action == "close" and stack:
                out.append(C(stack.pop()))
            elif action in ("ph", "lone") and n < 20:
                n += 1
                out.append(P(n) if action == "ph" else draw(st.sampled_from([O, C]))(n))
        out.append(word + draw(st.sampled_from([" ", "", " "])))
    while stack:
        out.append(C(stack.pop()))
    return "".join(out)


@given(source=tagged_sources(), target=st.lists(WORDS, max_size=14), data=st.data())
def test_every_code_once_and_nested_whatever_the_engine_returns(source, target, data):
    target_text = " ".join(target)
    n_src, n_tgt = len(codes.plain(source).split()), len(target)
    alignment = data.draw(st.none() | st.lists(st.tuples(st.integers(0, max(0, n_src + 1)),
                                                         st.integers(0, max(0, n_tgt + 1))), max_size=20))
    placed = place(source, target_text, alignment)
    assert codes.problems(source, placed.text) == []
    assert sorted(codes.codes_in(placed.text)) == sorted(codes.codes_in(source))
    assert codes.plain(placed.text) == target_text


# ---- the real engines: every family, attention alignments -------------------------------------

TAGGED = [f"The {O(1)}minister{C(1)} met {O(2)}officials in {O(3)}Baku{C(3)}{C(2)} on Monday.{P(4)}",
          f"{O(1)}Talks{C(1)} were held.",
          f"Troops {O(1)}{C(1)}left."]


@pytest.mark.parametrize("family", ["argos", "marian", "nllb", "m2m100"])
def test_random_weight_models_keep_every_code_once_and_nested(tmp_path, tiny_packages, family_models, family):
    models = tmp_path / "models"
    if family == "argos":
        packages.install(tiny_packages["en_az"], models)
    else:
        families.install(family_models[family], models, pairs=["en-az"],
                         target_tokens={"az": ">>aze_Latn<<"} if family == "marian" else None)
    engine = get_engine(models, "en", "az", SETTINGS)
    assert engine.aligns
    results = engine.translate([codes.plain(t) for t in TAGGED], align=True)
    for source, hypotheses in zip(TAGGED, results):
        for hypothesis in hypotheses:
            assert hypothesis.alignment is not None
            source_words, target_words = len(codes.plain(source).split()), len(hypothesis.text.split())
            assert all(0 <= s < source_words for s, _ in hypothesis.alignment)
            assert all(0 <= t < max(target_words, 1) for _, t in hypothesis.alignment)
            placed = place(source, hypothesis.text, hypothesis.alignment)
            assert codes.problems(source, placed.text) == [], labels(placed.text)
    assert all(h.alignment is None for hyps in engine.translate(["Talks."]) for h in hyps)  # only when asked


def test_long_inputs_split_in_parts_keep_their_alignment_offsets(tmp_path, family_models):
    import dataclasses

    from workbench.core.mt.engine import FamilyEngine

    model = families.install(family_models["nllb"], tmp_path / "models")
    engine = FamilyEngine(dataclasses.replace(model, max_input_length=16), "en", "az", SETTINGS)
    source = " ".join([f"The {O(1)}minister{C(1)} met officials in Baku, and talks were held on Monday."]
                      + ["Talks were held again in Ankara on Tuesday."] * 3) + P(2)
    (hypotheses,) = engine.translate([codes.plain(source)], align=True)
    words = len(codes.plain(source).split())
    for hypothesis in hypotheses:
        assert {s for s, _ in hypothesis.alignment} <= set(range(words))
        assert max(s for s, _ in hypothesis.alignment) > words // 2  # the later parts' words are counted on
        assert codes.problems(source, place(source, hypothesis.text, hypothesis.alignment).text) == []


def test_pivot_engine_composes_alignments(tmp_path, tiny_packages):
    models = tmp_path / "models"
    packages.install(tiny_packages["az_en"], models)
    packages.install(tiny_packages["en_ru"], models)
    engine = get_engine(models, "az", "ru", SETTINGS)
    assert isinstance(engine, PivotEngine) and engine.aligns
    source = f"{O(1)}Bakıda{C(1)} danışıqlar."
    (hypotheses,) = engine.translate([codes.plain(source)], align=True)
    assert all(h.alignment is not None for h in hypotheses)
    assert codes.problems(source, place(source, hypotheses[0].text, hypotheses[0].alignment).text) == []


# ---- the write paths --------------------------------------------------------------------------

def tagged_article(db, *texts) -> int:
    blocks = [Block("paragraph", text) for text in texts]
    return store.create_article(db, title="t", byline=None, filename=None, fmt="html",
                                segmentation=segment_blocks(blocks))


def findings_of(db, translation_id):
    return [dict(r) for r in db.query('SELECT "check", severity, message FROM qa_findings WHERE translation_id = ?',
                                      [translation_id])]


def test_mt_jobs_send_plain_text_and_store_tagged_drafts(db):
    article = tagged_article(db, f"The {O(1)}army{C(1)} said on {O(2)}Monday{C(2)} that talks were held.",
                             "No markup here.")
    engine = WordEngine(lambda words: ["[az]"] + words)
    translate_pending(db, {"az": engine})
    assert sorted(engine.seen) == ["No markup here.", "The army said on Monday that talks were held."]
    rows = store.article_translations(db, article, "az")
    tagged = next(r for r in rows.values() if codes.has_codes(r["text"]))
    assert labels(tagged["text"]) == "[az] The {1}army{/1} said on {2}Monday{/2} that talks were held."
    assert labels(tagged["alternatives"][0]["text"]) == labels(tagged["text"])
    assert findings_of(db, tagged["id"]) == []  # aligned: nothing to check


def test_codes_placed_by_position_give_a_qa_warning_until_someone_saves(db):
    from tests.conftest import _save_as as save_as  # the plain function behind the save_as fixture

    article = tagged_article(db, f"The {O(1)}army{C(1)} said on Monday.")
    translate_pending(db, {"az": WordEngine(drop("army"))})
    (row,) = store.article_translations(db, article, "az").values()
    assert labels(row["text"]) == "{1}The said on Monday.{/1}"
    assert row["alternatives"][0]["codes"] == "position"
    assert findings_of(db, row["id"]) == [{"check": "codes", "severity": "warning",
                                           "message": qa.CODES_PLACED_BY_POSITION}]
    moved = f"The said on {O(1)}Monday{C(1)}."  # the translator moves the chips
    save_as(db, row["segment_id"], "az", moved, base_version=row["version"], user="t")
    (saved,) = store.article_translations(db, article, "az").values()
    assert saved["status"] == "edited" and findings_of(db, saved["id"]) == []  # a person placed them


def test_an_aligning_engine_places_reordered_words(db):
    article = tagged_article(db, f"{O(1)}Officials{C(1)} met {O(2)}today{C(2)}.")
    # reverses the words and says so: "today. met Officials"
    engine = WordEngine(reverse, mapping=lambda n: [(i, n - 1 - i) for i in range(n)])
    translate_pending(db, {"az": engine})
    (row,) = store.article_translations(db, article, "az").values()
    assert labels(row["text"]) == "{2}today{/2}. met {1}Officials{/1}"


def test_repetitions_with_other_codes_get_their_own(db):
    article = tagged_article(db, f"The {O(1)}army{C(1)} said.", f"The army {O(1)}said{C(1)}.")
    engine = WordEngine(identity)
    translate_pending(db, {"az": engine})
    assert engine.seen == ["The army said."]  # translated once
    texts = sorted(labels(r["text"]) for r in store.article_translations(db, article, "az").values())
    assert texts == ["The army {1}said{/1}.", "The {1}army{/1} said."]


def test_tm_match_equal_but_for_codes_is_renumbered_or_placed(db):
    tm.add_unit(db, f"The {O(7)}army{C(7)} said.", f"Ordu {O(7)}dedi{C(7)}.", "az")
    tm.add_unit(db, "Talks were held.", "Danışıqlar aparıldı.", "az")
    article = tagged_article(db, f"The {O(1)}army{C(1)} said.", f"{O(1)}Talks{C(1)} were held.")
    engine = WordEngine(identity)
    translate_pending(db, {"az": engine})
    assert engine.seen == []  # both from the memory
    rows = sorted(store.article_translations(db, article, "az").values(), key=lambda r: r["segment_id"])
    assert [r["origin"] for r in rows] == ["tm", "tm"]
    assert labels(rows[0]["text"]) == "Ordu {1}dedi{/1}."  # renumbered: the unit's own placement kept
    assert codes.problems(f"{O(1)}Talks{C(1)} were held.", rows[1]["text"]) == []  # placed on its words
    assert codes.plain(rows[1]["text"]) == "Danışıqlar aparıldı."
    assert [f["check"] for f in findings_of(db, rows[1]["id"])] == ["codes"]


def test_cli_translate_with_a_real_model_stores_tagged_drafts(cli, instance, tiny_packages):
    cli("models", "install", str(tiny_packages["en_az"]))
    db = instance.db()
    article = tagged_article(db, *TAGGED)
    cli("translate", "--to", "az", "--beam-size", "2", "--hypotheses", "2")
    segments = {s["id"]: s["text"] for s in store.segments(db, article)}
    rows = store.article_translations(db, article, "az").values()
    assert len(rows) == len(segments)
    for row in rows:
        assert codes.problems(segments[row["segment_id"]], row["text"]) == []
        for alternative in row["alternatives"]:
            assert codes.problems(segments[row["segment_id"]], alternative["text"]) == []


def test_a_remote_worker_translates_plain_text_and_returns_alignments(tmp_path, tiny_packages, redis_url,
                                                                      monkeypatch):
    from workbench.queue import distributed

    models = tmp_path / "models"
    packages.install(tiny_packages["en_az"], models)
    monkeypatch.setenv("WORKBENCH_REDIS_URL", redis_url)
    distributed.configure_worker(models)
    engine = get_engine(models, "en", "az", SETTINGS)
    spec = {**distributed._spec(engine, "az"), "align": True}
    value = distributed._translate_chunk(spec, [codes.plain(TAGGED[0])])
    hypotheses = [distributed._hypothesis(*h) for h in value["hypotheses"][0]]
    assert all(h.alignment for h in hypotheses)
    placed = place(TAGGED[0], hypotheses[0].text, hypotheses[0].alignment)
    assert codes.problems(TAGGED[0], placed.text) == []
    plain_value = distributed._translate_chunk({**spec, "align": False}, ["Talks."])
    assert distributed._hypothesis(*plain_value["hypotheses"][0][0]).alignment is None
