"""Language tags from other tools (BCP 47: `az-AZ`, `az-Latn`, `aze`, `tr_TR`) mapped to ours."""

from __future__ import annotations

import langcodes

TARGET_LANGS = ("az", "tr", "ru")  # the languages the newsroom publishes in


def target_lang(tag: str, targets: tuple[str, ...] = TARGET_LANGS) -> str | None:
    """Our code for `tag` when it names one of `targets` in that language's usual script, else None.

    Region and script subtags that do not change the language are dropped (`az-AZ`, `az-Latn`,
    `aze` -> `az`); a different script is a different target (`az-Arab`, `az-IR`, `ru-Latn` -> None).
    """
    try:
        language = langcodes.Language.get(tag.replace("_", "-"))
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        return None
    code = language.language
    if code not in targets or language.extlangs or language.variants or language.private:
        return None
    if language.maximize().script != langcodes.Language.get(code).maximize().script:
        return None
    return code


def glossary_lang(tag: str) -> str:
    """The code a glossary term is filed under for a file's language tag: en, az, tr or ru for any
    tag of those languages in their usual script (`az-Latn-AZ`, `tr-TR`, `ru-RU`, `en-GB`); another
    script of them keeps its tag (`az-Arab`: not checked as az); another language its primary
    language (`de-DE` -> de). By langcodes, not by cutting the string."""
    code = target_lang(tag, ("en", *TARGET_LANGS))
    if code:
        return code
    try:
        language = langcodes.Language.get(tag.replace("_", "-"))
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        return tag.strip().lower()
    if language.language in ("en", *TARGET_LANGS):
        return langcodes.standardize_tag(tag.replace("_", "-"))
    return language.language or tag.strip().lower()
