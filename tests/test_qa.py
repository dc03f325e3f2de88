"""QA checks: numbers (with locale forms), dates, punctuation, untranslated, brackets, spaces, length."""

import pytest

from workbench.core import qa


def _checks(source, target, lang="az"):
    return [(f.check, f.severity) for f in qa.check(source, target, lang)]


@pytest.mark.parametrize("source,target", [
    ("About 1,000 troops.", "Təxminən 1.000 əsgər."),
    ("About 1,000 troops.", "Около 1 000 военных."),
    ("About 1,000 troops.", "Около 1\u00a0000 военных."),
    ("It ended on the 10th day of 2020.", "2020-ci ilin 10-cu günü bitdi."),
    ("Growth was 3.5 per cent.", "Рост составил 3,5 процента."),
    ("In 1992 and 2020.", "В 1992 и 2020 годах."),
])
def test_numbers_in_locale_forms_pass(source, target):
    assert qa.check_numbers(source, target) == []


def test_a_changed_number_is_an_error_that_names_it():
    (finding,) = qa.check_numbers("The 44-day war ended in 2020.", "44 günlük müharibə 2021-ci ildə bitdi.")
    assert finding.severity == "error" and "2020" in finding.message


def test_dates_need_the_month_translated():
    assert qa.check_dates("Signed on June 15, 2021.", "15 iyun 2021-ci ildə imzalanıb.", "az") == []
    assert qa.check_dates("Signed on Nov. 10, 2020.", "10 ноября 2020 года.", "ru") == []
    (finding,) = qa.check_dates("Signed on June 15.", "15 June imzalanıb.", "tr")
    assert "haziran" in finding.message


def test_end_punctuation_untranslated_brackets_spaces_length():
    assert _checks("He left.", "O getdi") == [("punctuation", "warning")]
    assert _checks("“We won,” he said.", "“Qalib gəldik,” dedi.") == []
    assert _checks("The talks ended today.", "The talks ended today.") == [("untranslated", "error")]
    assert _checks("The talks ended.", "") == [("untranslated", "error")]
    assert _checks("Baku (the capital).", "Bakı (paytaxt.") == [("brackets", "warning")]
    assert _checks("It ended.", "Bitdi  artıq.") == [("spaces", "warning")]
    assert _checks("It ended.", " Bitdi.") == [("spaces", "warning")]
    long_source = "The talks between the two delegations ended."
    assert ("length", "warning") in _checks(long_source, "Bitdi.")
    assert ("length", "warning") not in _checks(long_source, "İki nümayəndə heyəti arasında danışıqlar başa çatdı.")
    assert _checks("NATO", "NATO") == []  # a name alone may stay as it is
