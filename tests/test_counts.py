"""Word and character counts."""

from workbench.core import counts


def test_words_keep_inner_hyphens_and_apostrophes_and_skip_punctuation():
    assert counts.words("Col-Gen Rahimov met officials in Baku.") == 6
    assert counts.words("Bakü'de 5 Mayıs'ta — görüştüler!") == 4
    assert counts.words("Генерал-полковник встретился с чиновниками.") == 4
    assert counts.words(" — ... ") == 0 and counts.words(None) == 0
    assert counts.chars("Bakı, 5 may.") == 12


def test_totals():
    assert counts.totals(["One two.", None, "Three"]) == {"words": 3, "chars": 13}
