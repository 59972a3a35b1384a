# ruff: noqa: RUF001, RUF002 -- typographic quotes and dashes are this module's subject
"""Readable, stable slugs for the IRIs of a draft, by the rules of the curated data.

Lower-case ASCII words joined by ``-``; small words (of, the, in, and …) and
possessive endings dropped; at most a few words, never a positional counter
unless two things would otherwise get the same IRI.

>>> slugify("Ministry of Justice of Azerbaijan")
'ministry-justice-azerbaijan'
>>> slugify("Prosecutor General’s Office"), slugify("Niš")
('prosecutor-general-office', 'nis')
>>> announcement_slug("OSCE concludes series of anti-trafficking seminars for officers", "2016-10-06")
'2016-10-06-osce-concludes-series-anti-trafficking-seminars'
"""  # noqa: E501

from __future__ import annotations

import re
import unicodedata

__all__ = ["STOPWORDS", "Slugs", "announcement_slug", "slugify"]

STOPWORDS = {
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from",
    "under", "s", "its", "their", "into", "as", "is", "are", "was", "were",
}  # fmt: skip


def slugify(text: str, *, keep_stopwords: bool = False, max_words: int = 8) -> str:
    """``text`` as a slug (see the module docstring)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("đ", "d")
    text = re.sub(r"[’']s\b", "", text)
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text.lower()) if w]
    if not keep_stopwords:
        words = [w for w in words if w not in STOPWORDS] or words
    return "-".join(words[:max_words])


def announcement_slug(headline: str, day: str | None) -> str:
    """``<date>-<five words of the headline>`` (``undated-…`` without a date)."""
    return f"{day or 'undated'}-{slugify(headline, max_words=5)}"


class Slugs:
    """Hands out unique local names within one namespace (``taken`` are already used)."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken = set(taken or ())

    def get(self, wanted: str) -> str:
        wanted = wanted.strip("-") or "item"
        slug = wanted
        n = 2
        while slug in self.taken:
            slug = f"{wanted}-{n}"
            n += 1
        self.taken.add(slug)
        return slug
