"""Check a translation against the termbase, and choose among MT hypotheses by the glossary.

For every concept found in the English source that has terms in the target language, each source
occurrence gets a finding: `forbidden` when a forbidden term stands in the target (this wins),
`ok` when a preferred or admitted term does, else `missing`. Occurrences are counted: two
"Baku" in the source need two "Bakı" in the target.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.terms.model import Concept
from workbench.core.terms.morphology import find_term, text_words
from workbench.core.terms.source_match import SourceMatcher


@dataclass(frozen=True)
class Finding:
    glossary: str
    concept: str
    status: str
    source: str
    source_start: int
    target: str | None = None
    target_start: int | None = None

    def to_json(self) -> dict:
        return {"concept": self.concept, "status": self.status, "source": self.source,
                "target": self.target}


def concept_key(concept: Concept) -> str:
    return f"{concept.glossary or ''}\t{concept.id}"


class TermChecker:
    def __init__(self, concepts: list[Concept], source_lang: str = "en"):
        self.source_lang = source_lang
        self.concepts = {concept_key(c): c for c in concepts}
        self.matcher = SourceMatcher()
        for key, concept in self.concepts.items():
            for term in concept.terms_in(source_lang):
                self.matcher.add(term.text, key)

    def check(self, source: str, target: str, lang: str, glossary: str | None = None) -> list[Finding]:
        occurrences: dict[str, list] = {}
        for match in self.matcher.find(source):
            concept = self.concepts[match.concept]
            if glossary is None or concept.glossary == glossary:
                occurrences.setdefault(match.concept, []).append(match)
        words = text_words(target, lang) if occurrences else []
        taken: set[int] = set()
        findings = []
        # Longer target terms first, so "Dağlıq Qarabağ" claims its words before "Qarabağ".
        for key in sorted(occurrences, key=lambda k: -max(
                (len(t.text) for t in self.concepts[k].terms_in(lang)), default=0)):
            concept, matches = self.concepts[key], occurrences[key]
            allowed = concept.terms_in(lang, "preferred", "admitted")
            forbidden = concept.terms_in(lang, "forbidden")
            if not allowed and not forbidden:
                continue  # no target term: nothing to check
            bad_hits = self._hits(forbidden, words, lang, taken, concept.domain)
            good_hits = self._hits(allowed, words, lang, taken, concept.domain)
            for index, match in enumerate(sorted(matches, key=lambda m: m.start)):
                if index < len(bad_hits):
                    status, hit = "forbidden", bad_hits[index]
                elif index - len(bad_hits) < len(good_hits):
                    status, hit = "ok", good_hits[index - len(bad_hits)]
                elif allowed:
                    status, hit = "missing", None
                else:
                    continue
                findings.append(Finding(
                    concept.glossary or "", concept.id, status, match.text, match.start,
                    target[words[hit[0]][1]:words[hit[1] - 1][2]] if hit else None,
                    words[hit[0]][1] if hit else None))
        return sorted(findings, key=lambda f: f.source_start)

    @staticmethod
    def _hits(terms, words, lang, taken, domain=None) -> list[tuple[int, int]]:
        hits = []
        for term in sorted(terms, key=lambda t: -len(t.text)):
            for hit in find_term(term.text, words, lang, taken, domain):
                hits.append(hit)
                taken.update(range(*hit))
        return sorted(hits)

    def choose(self, source: str, hypotheses, lang: str) -> tuple[int, str | None]:
        """The hypothesis satisfying most concepts (forbidden terms count against it); ties keep
        the model's order. Returns its index and, when it is not the model's first, why."""
        if len(hypotheses) < 2 or not self.matcher.find(source):
            return 0, None
        scores = []
        for hypothesis in hypotheses:
            findings = self.check(source, hypothesis.text, lang)
            ok = sum(f.status == "ok" for f in findings)
            bad = sum(f.status == "forbidden" for f in findings)
            scores.append((ok - bad, ok, bad, len(findings)))
        best = max(range(len(hypotheses)), key=lambda i: (scores[i][0], -i))
        if best == 0:
            return 0, None
        return best, (f"Alternative {best + 1} preferred over the model's first choice: it has "
                      f"{scores[best][1]} of {scores[best][3]} glossary terms right"
                      + (f" and {scores[best][2]} forbidden" if scores[best][2] else "")
                      + f" (first: {scores[0][1]} right, {scores[0][2]} forbidden).")
