"""A plain-language quality hint for an MT alternative's score.

The engine's score is a log-probability summed over the output tokens and divided by
length ** 0.2 (CTranslate2's length penalty, see mt/engine.py), so raw scores say more about
sentence length than quality ("-101.90" for a long sentence). Spread back over an estimate of
the token count it becomes an average log-probability per token, which is comparable across
sentences: above -0.5 (the model gave its tokens about 60 % on average) reads "good", above
-1.2 (about 30 %) "fair", below that "weak". Tokens are not stored with the draft, so they are
estimated from the words (subword pieces: about 1.5 a word, plus the end token).
"""

from __future__ import annotations

from workbench.core import counts

LENGTH_PENALTY = 0.2
GOOD, FAIR = -0.5, -1.2


def per_token(score: float, text: str) -> float:
    tokens = max(1, round(counts.words(text) * 1.5) + 1)
    return score * tokens ** LENGTH_PENALTY / tokens


def quality(score: float | None, text: str) -> dict:
    """{"label": good | fair | weak | unknown, "per_token": float | None}"""
    if score is None:
        return {"label": "unknown", "per_token": None}
    value = per_token(float(score), text)
    label = "good" if value > GOOD else "fair" if value > FAIR else "weak"
    return {"label": label, "per_token": round(value, 2)}
