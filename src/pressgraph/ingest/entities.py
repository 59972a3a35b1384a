# ruff: noqa: RUF001, RUF002, RUF003 -- typographic quotes and dashes are this module's subject
"""Organisations and people named in an announcement, and the posts people hold.

Organisations are found by rule: a capitalised name with an institution word in it
("Supreme Court of Tajikistan", "OSCE Programme Office in Dushanbe"), a name or
acronym the project already knows, an acronym the text defines ("(UNDP)"), a local
administration ("Osh city administration") or a shared head noun ("the Justice and
Interior ministries"). Mentions of one organisation are merged: "the United States
Embassy in Kazakhstan", "the U.S. Embassy" and "the US Embassy in Kazakhstan" are
one embassy; "the Mission" is the one mission named before.

People are names in the places a press release names people: next to a verb of
saying, with a post ("Jane Doe, Head of the X at the Y"; "the Y's Adviser, Jane
Doe"; "Y expert Jane Doe"), after "according to". A post is a role title ending
in a role word (Head, Officer, Adviser, expert …) and the organisation it is at.

>>> orgs = find_orgs("The OSCE Mission to Serbia and the Embassy of Switzerland in Serbia met.")
>>> [o.names[0] for o in orgs]
['OSCE Mission to Serbia', 'Embassy of Switzerland in Serbia']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .gazetteer import fold
from .known import Known, KnownOrg

__all__ = [
    "ACRONYMS",
    "ORG_HEADS",
    "ROLE_WORDS",
    "Org",
    "OrgMention",
    "Person",
    "Post",
    "canonical",
    "find_orgs",
    "find_people",
]

#: words that make a capitalised name the name of an institution
ORG_HEADS = {
    "Ministry", "Ministries", "Office", "Embassy", "Mission", "Centre", "Center", "Academy",
    "University", "Agency", "Commission", "Committee", "Council", "Court", "Parliament",
    "Government", "Inspectorate", "Police", "Service", "Troops", "Guard", "Association",
    "Foundation", "Fund", "Programme", "Program", "Organization", "Organisation", "Union",
    "Institute", "Department", "Administration", "Presence", "Co-ordinator", "Coordinator",
    "Network", "Secretariat", "Assembly", "Bureau", "Authority", "Directorate", "Akimat",
    "Hokimiyat", "Chamber", "Ombudsman", "Ombudsperson", "Municipality", "Coalition",
    "Alliance", "Federation", "School", "College", "Library", "Society", "Board", "Cabinet",
    "Bank", "Corporation", "Company", "Tribunal", "Procuracy", "Senate", "Majlis", "Mazhilis",
    "Hospital", "Movement", "Party", "Trust", "Delegation", "Division", "Unit", "Section",
    "Prosecutor’s", "Prosecutor's", "Consulate", "Observatory", "Commissariat",
    "Forces", "Army", "Navy", "Gendarmerie", "Militia", "Customs", "Registry", "Bar",
    "Representation", "Platform", "Clinic",
}  # fmt: skip
#: heads after which "in <place>" / "to <place>" is part of the name
LOCATED_HEADS = {
    "Office", "Mission", "Embassy", "Centre", "Center", "Presence", "Co-ordinator",
    "Coordinator", "Delegation", "Representation", "Consulate", "Programme", "Program",
}  # fmt: skip
#: organisations known by an acronym or a short name (the name is what the text says)
ACRONYMS = {
    "OSCE", "ODIHR", "HCNM", "UN", "UNDP", "UNICEF", "UNODC", "UNHCR", "UNFPA", "UNESCO",
    "UNECE", "UNEP", "OHCHR", "IOM", "EU", "NATO", "WHO", "ILO", "OECD", "EBRD", "USAID",
    "GIZ", "UNOPS", "UNRCCA", "CSTO", "CIS", "EEU", "ADB", "IMF", "UNAIDS", "UNOCT",
    "UN Women", "OSCE PA", "Interpol", "INTERPOL", "Europol", "Frontex", "FAO", "WFP",
}  # fmt: skip
#: words a post (role title) ends with
ROLE_WORDS = {
    "head", "director", "chair", "chairman", "chairwoman", "chairperson", "president",
    "vice-president", "officer", "adviser", "advisor", "expert", "specialist",
    "co-ordinator", "coordinator", "representative", "minister", "secretary", "manager",
    "trainer", "lawyer", "prosecutor", "judge", "professor", "researcher", "consultant",
    "analyst", "assistant", "member", "commissioner", "ombudsman", "ombudsperson", "mayor",
    "governor", "akim", "rector", "dean", "spokesperson", "spokesman", "spokeswoman",
    "leader", "chief", "commander", "teacher", "journalist", "activist", "founder", "deputy",
    "attorney", "investigator", "inspector", "psychologist", "economist", "lecturer",
    "editor", "correspondent", "counsellor", "counselor", "envoy", "rapporteur", "executive",
    "principal", "administrator", "official", "ambassador", "director-general",
    "secretary-general", "chairman-in-office", "chairperson-in-office", "facilitator",
    "moderator", "instructor", "student", "graduate", "volunteer", "doctor",
    "nurse", "social worker", "police officer", "head of mission", "attaché", "attache",
    "programme manager", "fellow", "scholar", "engineer", "partner", "owner", "coach",
    "secretary general", "director general", "attorney general", "prosecutor general",
    "consul general", "inspector general", "deputy director", "high commissioner",
}  # fmt: skip
#: titles before a name that are not posts
HONORIFICS = {
    "Ambassador", "Dr", "Dr.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Prof", "Prof.",
    "Professor", "H.E.", "Judge", "Colonel", "General", "Major", "Sir", "Dame", "Lieutenant",
    "Captain", "Mx", "Mx.", "Rev.", "Father", "Imam", "Senator", "Minister", "Deputy",
    "Excellency", "His", "Her",
}  # fmt: skip
SPEECH_VERBS = (
    "said", "says", "added", "adds", "noted", "notes", "stressed", "stresses", "emphasized",
    "emphasised", "emphasizes", "emphasises", "underlined", "underlines", "highlighted",
    "highlights", "explained", "explains", "stated", "states", "remarked", "pointed out",
    "told", "observed", "commented", "concluded", "recalled", "warned", "insisted",
    "declared", "announced", "affirmed", "continued", "asked", "replied", "argued",
    "believes", "welcomed", "thanked",
)  # fmt: skip
MONTHS_AND_DAYS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday",
)  # fmt: skip
_CONNECTORS = {"of", "for", "and", "in", "on", "to", "under", "de", "the", "against", "with"}
_GENERIC_WORDS = {
    "akimat", "hokimiyat", "ministry", "office", "prosecutor", "general", "generals",
    "prosecutors", "ombudsman", "ombudsmans", "ombudsperson", "police", "court", "supreme",
    "administration", "city", "regional", "district", "department", "justice", "interior",
    "health", "education", "foreign", "affairs", "internal", "defence", "defense", "finance",
    "labour", "labor", "social", "protection", "parliament", "government", "municipality",
    "council", "local", "national", "state", "service", "committee", "commission", "the",
    "of", "and", "for", "on", "s", "inspectorate", "agency", "public", "constitutional",
    "security", "migration", "border", "customs", "emergency", "situations", "youth",
    "sports", "culture", "economy", "development", "care", "environment", "high",
    "appeals", "chamber", "human", "rights", "commissioner", "central", "election",
    "electoral", "bar", "association", "academy", "university",
}  # fmt: skip

_NAME_TOKEN = r"(?:(?:[A-Z]\.){2,}|[A-ZÀ-ÖØ-ÞĀ-ŽŁŚŠŽČĆŻ][\w’'\-]*)"
_TOKENS = re.compile(r"[\w’'\-.&]+(?<!\.)|\.|[^\w\s]")


@dataclass(eq=False)
class OrgMention:
    """One place where an organisation is named."""

    start: int
    end: int
    text: str
    acronym: str | None = None
    parent: OrgMention | None = None
    full_text: str | None = None  # "Gender Equality Council of the Parliament of Georgia"
    coordinated: bool = False  # built from a shared head noun ("Interior ministries")


@dataclass(eq=False)
class Org:
    """An organisation: its mentions, its names, and the IRI it has in data/ if known."""

    key: str
    names: list[str]
    mentions: list[OrgMention] = field(default_factory=list)
    acronym: str | None = None
    known: KnownOrg | None = None
    parent: Org | None = None
    generic: bool = False
    matched_by: str | None = None  # how it was matched to data/ ("name", "partial name")

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def first(self) -> OrgMention:
        return self.mentions[0]


@dataclass(eq=False)
class Post:
    """A post the text gives a person: role title, organisation, and the words."""

    role: str
    org: Org | None
    start: int
    end: int


@dataclass(eq=False)
class Person:
    """A person named in the text."""

    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)


# --------------------------------------------------------------------------- names


def canonical(name: str) -> str:
    """A key on which two names of one organisation agree.

    >>> canonical("the U.S. Embassy in Kazakhstan") == canonical("United States Embassy in Kazakhstan")
    True
    >>> canonical("Embassy of the United States in Kazakhstan") == canonical("US Embassy in Kazakhstan")
    True
    """  # noqa: E501
    key = fold(name)
    key = re.sub(r"^the ", "", key)
    key = re.sub(r"\b(?:u s a|usa|u s|us|united states of america)\b", "united states", key)
    key = re.sub(r"\bunited states\b", "united states", key)
    key = re.sub(r"\borganisation\b", "organization", key)
    key = re.sub(r"\bcentre\b", "center", key)
    key = re.sub(r"\bprogramme\b", "program", key)
    key = re.sub(r"\bco operation\b", "cooperation", key)
    key = re.sub(r"\bco ordinator\b", "coordinator", key)
    key = re.sub(r"\bthe republic of\b|\brepublic of\b", "", key)
    key = re.sub(r"\s+", " ", key).strip()
    embassy = re.fullmatch(r"embassy of (?:the )?(.+?)(?: (?:in|to) (.+))?", key)
    if embassy:
        host = f" in {embassy.group(2)}" if embassy.group(2) else ""
        key = f"{embassy.group(1)} embassy{host}"
    key = re.sub(r"\bembassy to\b", "embassy in", key)
    return key


def _embassy(key: str) -> tuple[str, str | None] | None:
    match = re.fullmatch(r"(.+?) embassy(?: in (.+))?", key)
    return (match.group(1), match.group(2)) if match else None


def _has_head(words: list[str]) -> bool:
    return any(w in ORG_HEADS or w.rstrip("’s").rstrip("'s") in ORG_HEADS for w in words)


def _is_acronym(word: str) -> bool:
    bare = word.replace(".", "")
    return len(bare) >= 2 and bare.isupper() and bare.isalpha()


# --------------------------------------------------------------------------- organisations

_ROLE_PREFIX = re.compile(
    r"^(?:(?:[A-Z][\w-]*\s+){0,3}?(?:Head|Director|Chair|Chairman|Chairwoman|Chairperson|"
    r"President|Representatives?|Members?|Minister|Secretary|Officer|Adviser|Advisor|Deputy|"
    r"Staff|Experts?|Participants?|Students?|Delegates?|Delegation|Graduates?|Heads|"
    r"Directors|Judges?|Prosecutors?|Officials?|Ambassador|Commissioner)\s+"
    r"(?:of|from|at)\s+(?:the\s+)?)"
)
_CANDIDATE = re.compile(
    rf"(?:{_NAME_TOKEN})(?:(?:[ \t]+|[ \t]+(?:of|for|and|in|on|to|under|de|against|with)"
    rf"(?:[ \t]+the)?[ \t]+)(?:{_NAME_TOKEN})|(?:’s|'s|’|')(?=[ \t]+[A-Z]))*"
)
_COORDINATED = re.compile(
    r"\b(?:the\s+)?(?P<mods>(?:[A-Z][\w’'-]*\s+)(?:(?:and|,)\s+|[A-Z][\w’'-]*\s+|,\s+)*?)"
    r"(?P<head>ministries|embassies|agencies|universities|offices|councils|committees|"
    r"courts|commissions|inspectorates|services|departments|administrations|akimats)\b"
)
_PLURAL_OF = re.compile(
    r"\b(?P<head>Governments|Embassies|Ministries|Parliaments)\s+of\s+(?P<items>(?:the\s+)?"
    r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*(?:(?:,\s+|\s+and\s+)(?:the\s+)?[A-Z][\w’'-]*"
    r"(?:\s+[A-Z][\w’'-]*)*)+)"
)
_LOCAL = re.compile(
    r"\b(?P<place>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)\s+(?P<kind>(?:city|regional|district|"
    r"municipal|oblast|provincial|town|village)\s+(?:administration|akimat|council|"
    r"municipality|hokimiyat|government|police|court|assembly))\b"
)
_ACRONYM_DEF = re.compile(r"^\s*\((?P<acr>[A-Z][A-Za-z]*[A-Z](?:\s[A-Z][a-z]+)?)\)")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading "The", role words ("Head of the") and a trailing possessive."""
    words = text[start:end]
    match = re.match(
        r"(?:According\s+to|Thanks\s+to|Together\s+with|Jointly\s+with|In|On|At|With|For|By|"
        r"From|Under|As|Through|During|After|Before|While|When|Since)\s+(?=\S)",
        words,
    )
    if (match and text[start + match.end() :][:1].isupper()) or (match and re.match(
        r"the\s+[A-Z]", text[start + match.end() : end]
    )):
        start += match.end()
        words = text[start:end]
    match = re.match(r"(?:The|the)\s+", words)
    if match:
        start += match.end()
        words = text[start:end]
    match = _ROLE_PREFIX.match(words)
    if match:
        rest = words[match.end() :]
        if rest and rest[0].isupper():
            start += match.end()
            words = text[start:end]
    for suffix in ("’s", "'s", "’", "'"):
        if words.endswith(suffix):
            end -= len(suffix)
            break
    return start, end


def _split_name(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a capitalised run into organisation names: "A and the B", "A and B" where A
    ends with its head, possessives not followed by a head ("UNDP’s Resident …")."""
    words = text[start:end]
    # a possessive that is not inside a name: "UNDP’s Resident Representative"
    for match in re.finditer(r"(’s|'s|’|')\s+", words):
        rest = words[match.end() :].split()
        upto_head = rest[: next((i for i, w in enumerate(rest) if w in ORG_HEADS), len(rest))]
        if not rest or not any(w in ORG_HEADS for w in rest) or any(
            w.lower() in ROLE_WORDS for w in upto_head
        ):
            return _split_name(text, start, start + match.start())
    parts: list[tuple[int, int]] = []
    cursor = start
    for match in re.finditer(r"\s+and\s+(?:the\s+)?", words):
        left = text[cursor : start + match.start()]
        right = text[start + match.end() : end]
        left_words = left.split()
        right_words = right.split()
        if not right_words or not left_words:
            continue
        if (
            "the" in match.group(0)
            or _is_acronym(right_words[0])
            or right_words[0] in ACRONYMS
            or (_has_head(right_words[:3]) and _has_head(left_words))
        ):
            parts.append((cursor, start + match.start()))
            cursor = start + match.end()
    parts.append((cursor, end))
    return parts


def _is_org_name(words: str, known_keys: set[str], defined: set[str]) -> bool:
    tokens = words.split()
    if not tokens:
        return False
    if words in ACRONYMS or words in defined or canonical(words) in known_keys:
        return True
    if len(tokens) == 1 and _is_acronym(tokens[0]) and tokens[0] in defined:
        return True
    if not _has_head(tokens):
        return False
    # a role title is not an organisation ("Human Dimension Officer")
    return tokens[-1].lower() not in ROLE_WORDS or tokens[-1] in ORG_HEADS


def _cut_location(text: str, start: int, end: int, places: Iterable[tuple[int, int]]) -> int:
    """Where a name ends if " in X" / " to X" is not part of it."""
    words = text[start:end]
    for match in re.finditer(r"\s+(in|to|on|for|against|with|under)\s+", words):
        before = words[: match.start()].split()
        if not _has_head(before):
            continue  # the institution word comes later: "Centre for Training … in …"
        if match.group(1) in ("in", "to"):
            after_start = start + match.end()
            rest = words[match.end() :].split()
            is_place = any(a == after_start for a, _b in places) or not _has_head(rest)
            if any(w in LOCATED_HEADS for w in before) and is_place:
                continue
            if not is_place:
                continue
            return start + match.start()
        if match.group(1) == "under" and _has_head(words[match.end() :].split()):
            continue
        if match.group(1) in ("on", "for", "against", "with"):
            continue
        return start + match.start()
    return end


def find_orgs(
    text: str,
    known: Known | None = None,
    *,
    places: Iterable[tuple[int, int]] = (),
    countries: Iterable[str] = (),
) -> list[Org]:
    """The organisations of ``text``, mentions merged, matched against ``known``.

    ``places`` are the (start, end) of place names (a name may end with one, as in
    "OSCE Office in Dushanbe"); ``countries`` the IRIs of the countries the text is
    about, for matching generic names ("Prosecutor General’s Office") to known
    organisations.
    """
    known = known or Known()
    place_spans = list(places)
    known_keys: dict[str, KnownOrg] = {}
    for org in known.orgs:
        for name in org.names:
            known_keys.setdefault(canonical(name), org)
    defined = {
        m.group("acr")
        for m in re.finditer(r"\((?P<acr>[A-Z][A-Za-z]*[A-Z])\)", text)
        if _has_head(text[max(0, m.start() - 80) : m.start()].split()[-8:])
    }
    mentions: list[OrgMention] = []

    def taken(a: int, b: int) -> bool:
        return any(a < m.end and m.start < b for m in mentions)

    # 1. shared head nouns: "the Health Care and Social Development and Interior ministries"
    for match in _COORDINATED.finditer(text):
        mods = match.group("mods").strip().rstrip(",")
        if not mods or not mods[0].isupper():
            continue
        head = match.group("head")
        singular = {"ministries": "ministry", "embassies": "embassy", "agencies": "agency",
                    "universities": "university"}.get(head, head[:-1])  # fmt: skip
        mods_start = match.start("mods")
        items = [x for x in re.split(r",\s+", mods) if x]
        pieces: list[str] = []
        for i, item in enumerate(items):
            if i == len(items) - 1 and " and " in item and len(items) > 1:
                pieces.extend(item.split(" and ", 1)[::1])
            elif i == len(items) - 1 and " and " in item:
                left, _sep, right = item.rpartition(" and ")
                pieces.extend([left, right])
            else:
                pieces.append(item)
        if len(pieces) < 2:
            continue
        cursor = mods_start
        for piece in pieces:
            at = text.find(piece, cursor, match.end())
            if at < 0:
                break
            cursor = at + len(piece)
            mentions.append(
                OrgMention(at, at + len(piece), f"{piece} {singular}", coordinated=True)
            )

    # "the Governments of Germany and the United States": one government each
    for match in _PLURAL_OF.finditer(text):
        head = {"Governments": "Government", "Embassies": "Embassy", "Ministries": "Ministry",
                "Parliaments": "Parliament"}[match.group("head")]  # fmt: skip
        items = match.group("items")
        base = match.start("items")
        for item in re.finditer(r"(?P<the>the\s+)?(?P<name>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)",
                                items):
            a, b = base + item.start("name"), base + item.end("name")
            the = "the " if item.group("the") else ""
            mentions.append(
                OrgMention(a, b, f"{head} of {the}{item.group('name')}", coordinated=True)
            )

    # 2. local administrations: "the Osh city administration"
    for match in _LOCAL.finditer(text):
        if not taken(*match.span()):
            mentions.append(OrgMention(match.start(), match.end(), match.group(0)))

    # 3. capitalised names with an institution word, known names and acronyms
    for match in _CANDIDATE.finditer(text):
        a, b = _trim(text, match.start(), match.end())
        if b <= a:
            continue
        for pa, pb in _split_name(text, a, b):
            pa, pb = _trim(text, pa, pb)
            pb = _cut_location(text, pa, pb, place_spans)
            words = text[pa:pb]
            if pb <= pa or taken(pa, pb):
                continue
            if not _is_org_name(words, set(known_keys), defined):
                # an acronym or known short name inside a longer capitalised run
                for token in re.finditer(r"[\w.]+(?:\s+Women)?", words):
                    w = token.group(0).rstrip(".")
                    if w in ACRONYMS or w in defined or (canonical(w) in known_keys and (
                        _is_acronym(w)
                    )):
                        ta = pa + token.start()
                        if not taken(ta, ta + len(w)):
                            mentions.append(OrgMention(ta, ta + len(w), w))
                continue
            acr = _ACRONYM_DEF.match(text[pb:])
            mentions.append(
                OrgMention(pa, pb, words, acronym=acr.group("acr") if acr else None)
            )

    # 4. known names the rules above missed (single generic words such as "Akimat")
    for name in sorted(known_keys, key=lambda k: -len(k)):
        for raw in {n for o in known.orgs for n in o.names if canonical(n) == name}:
            for match in re.finditer(rf"(?<![\w-]){re.escape(raw)}(?![\w-])", text):
                if not taken(*match.span()):
                    mentions.append(OrgMention(match.start(), match.end(), raw))
    mentions.sort(key=lambda m: m.start)
    # the acronym defined right after a name is a mention of it, not a new organisation
    mentions = [
        m
        for m in mentions
        if not any(
            o.acronym == m.text and o.end <= m.start <= o.end + 3 for o in mentions if o is not m
        )
    ]
    _units(text, mentions)
    return _merge(mentions, known, known_keys, list(countries))


def _units(text: str, mentions: list[OrgMention]) -> None:
    """"Centre X of the Academy Y": the centre is a unit of the academy (split in place)."""
    extra: list[OrgMention] = []
    for mention in mentions:
        match = None
        for candidate in re.finditer(r"\s+of\s+the\s+|(?:’s|'s)\s+", mention.text):
            left = mention.text[: candidate.start()].split()
            right = mention.text[candidate.end() :].split()
            if not (_has_head(left) and _has_head(right)):
                continue
            if "of" not in candidate.group(0) and (
                len(right) < 2 or not (left[-1] in ORG_HEADS or _is_acronym(left[-1]))
            ):
                continue  # "Prosecutor General’s Office", "Ombudsman’s Office": one name
            match = candidate
            break
        if match is None:
            continue
        if "of" in match.group(0):  # "Centre X of the Academy Y": the unit comes first
            parent_start, parent_end = mention.start + match.end(), mention.end
            unit_start, unit_end = mention.start, mention.start + match.start()
        else:  # "OSCE Secretariat’s Gender Issues Programme": the unit comes last
            parent_start, parent_end = mention.start, mention.start + match.start()
            unit_start, unit_end = mention.start + match.end(), mention.end
        parent = OrgMention(parent_start, parent_end, text[parent_start:parent_end])
        mention.full_text = mention.text
        mention.start, mention.end = unit_start, unit_end
        mention.text = text[unit_start:unit_end]
        mention.parent = parent
        extra.append(parent)
    mentions.extend(extra)
    mentions.sort(key=lambda m: m.start)


def _generic(name: str) -> bool:
    words = re.findall(r"[a-z]+", fold(name))
    return bool(words) and all(w in _GENERIC_WORDS for w in words) and not any(
        _is_acronym(w) for w in name.split()
    )


def _match_known(
    mention: OrgMention, known_keys: dict[str, KnownOrg], known: Known, countries: list[str]
) -> tuple[KnownOrg | None, str | None]:
    key = canonical(mention.text)
    if mention.coordinated:
        key = canonical(mention.text)
    org = known_keys.get(key)
    # a generic name ("Prosecutor General’s Office") is that office only in its country
    if org is not None and _generic(mention.text) and (
        not org.countries or not set(org.countries) & set(countries)
    ):
        return None, None
    if org is not None:
        return org, "name"
    embassy = _embassy(key)
    if embassy and embassy[1] is None:
        same = [
            o
            for o in known.orgs
            if any((e := _embassy(canonical(n))) and e[0] == embassy[0] for n in o.names)
        ]
        if len(same) == 1:
            return same[0], "partial name"
    return None, None


def _merge(
    mentions: list[OrgMention],
    known: Known,
    known_keys: dict[str, KnownOrg],
    countries: list[str],
) -> list[Org]:
    """Group mentions of one organisation; match groups to data/."""
    orgs: list[Org] = []
    country_iris = [c for c in countries]

    def find_in_text(mention: OrgMention) -> Org | None:
        key = canonical(mention.text)
        for org in orgs:
            keys = {canonical(n) for n in org.names}
            if org.acronym:
                keys.add(canonical(org.acronym))
            if key in keys:
                return org
        # a shorter form: the name without its place ("General Police Inspectorate"), or
        # a short form named first ("OSCE Office" in the headline, then "… in Yerevan")
        for org in reversed(orgs):
            for name in org.names:
                full = canonical(name)
                if full.startswith(key + " ") and re.match(r" (?:of|in|to) ", full[len(key) :]):
                    return org
                if key.startswith(full + " ") and re.match(r" (?:of|in|to) ", key[len(full) :]):
                    return org
                emb_a, emb_b = _embassy(key), _embassy(full)
                if emb_a and emb_b and emb_a[0] == emb_b[0] and emb_a[1] is None:
                    return org
        # "the Mission", "the Programme Office": the one named before with that head
        heads = [o for o in orgs if any(canonical(n).endswith(key) or f"{key} " in
                                        canonical(n) for n in o.names)]
        if len(mention.text.split()) <= 2 and len(heads) >= 1:
            return heads[-1]
        return None

    for mention in mentions:
        org = find_in_text(mention)
        if org is None:
            match, how = _match_known(mention, known_keys, known, country_iris)
            if match is not None:
                org = next((o for o in orgs if o.known is match), None)
                if org is None:
                    org = Org(key=match.iri, names=[], known=match, matched_by=how)
                    orgs.append(org)
        if org is None:
            org = Org(key=canonical(mention.text), names=[], generic=_generic(mention.text))
            orgs.append(org)
        org.mentions.append(mention)
        for name in (mention.text, mention.full_text):
            if name and name not in org.names:
                org.names.append(name)
        if mention.acronym and org.acronym is None:
            org.acronym = mention.acronym
    # the fullest name first: "OSCE Office in Yerevan" rather than "OSCE Office"
    for org in orgs:
        whole = {m.full_text for m in org.mentions if m.full_text}
        candidates = [n for n in org.names if n not in whole]
        if org.known is None and candidates:
            longest = max(candidates, key=lambda n: (len(canonical(n).split()),
                                                     -org.names.index(n)))
            if longest != org.names[0] and canonical(longest).startswith(canonical(org.names[0])):
                org.names.remove(longest)
                org.names.insert(0, longest)
    # an acronym named before the name it stands for ("ODIHR host …", later "(ODIHR)")
    for org in list(orgs):
        if org.acronym is None:
            continue
        for other in list(orgs):
            if other is not org and other.known is None and any(
                n == org.acronym for n in other.names
            ):
                org.mentions = sorted(org.mentions + other.mentions, key=lambda m: m.start)
                org.names += [n for n in other.names if n not in org.names]
                orgs.remove(other)
    by_mention = {id(m): o for o in orgs for m in o.mentions}
    for org in orgs:
        for mention in org.mentions:
            if mention.parent is not None and org.parent is None:
                org.parent = by_mention.get(id(mention.parent))
    return orgs


# --------------------------------------------------------------------------- people

_PARTICLES = r"(?:van|von|de|der|den|al|el|bin|ibn|da|di|du|la|le|ter)"
_RUN = re.compile(
    rf"{_NAME_TOKEN}(?:\.?(?:[ \t]+{_PARTICLES})?[ \t]+{_NAME_TOKEN})*"
)
_SPEECH = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
_SAID_BEFORE = re.compile(
    rf"(?i)\b(?:{_SPEECH}|according\s+to)\b[^.;:“”\"()]{{0,140}}$"
)
_SAID_AFTER = re.compile(
    rf"^\s*(?:,[^“”\"]{{0,220}}?,)?\s*,?\s*(?:(?:also|then|further|later)\s+)?(?:{_SPEECH})\b|"
    rf"^\s*,[^“”\"]{{0,220}}?(?:\.|$)"
)
_NOT_NAME = {
    "The", "In", "On", "At", "For", "With", "By", "From", "According", "Ambassador", "He",
    "She", "They", "We", "It", "This", "These", "A", "An", "And", "But", "As", "Some",
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Mx", "H.E", "His", "Her", "Excellency", "Republic",
    *MONTHS_AND_DAYS,
}  # fmt: skip


def _role_phrase(words: str) -> str | None:
    """The role title of a post phrase: ends with a role word ("Human Dimension Officer")."""
    words = re.sub(r"^(?:the|a|an)\s+", "", words.strip())
    tokens = words.split()
    if not tokens or len(tokens) > 7:
        return None
    last = tokens[-1].lower().rstrip(",.")
    two = " ".join(tokens[-2:]).lower() if len(tokens) > 1 else last
    if last in ROLE_WORDS or two in ROLE_WORDS:
        return words.rstrip(",.")
    return None


def _name_tokens(run: str) -> list[re.Match[str]]:
    return list(re.finditer(r"\S+", run))


def _trim_name(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The person's name inside a capitalised run: leading titles, posts, acronyms and
    organisation words dropped ("OSCE Secretary General Thomas Greminger")."""
    tokens = [t for t in re.finditer(r"\S+", text[a:b])]
    keep = list(tokens)
    while keep:
        word = keep[0].group(0).rstrip(".,")
        if (
            word in _NOT_NAME
            or word in HONORIFICS
            or word.rstrip(".") in HONORIFICS
            or word.lower() in ROLE_WORDS
            or word in ORG_HEADS
            or _is_acronym(word)
            or word.lower() in ("general", "special", "senior", "chief", "national", "regional")
        ):
            keep = keep[1:]
            continue
        break
    if len(keep) < 2 or len(keep) > 4:
        return None
    if any(t.group(0) in ORG_HEADS or t.group(0).lower() in ROLE_WORDS or _is_acronym(t.group(0))
           or t.group(0) in _NOT_NAME for t in keep):
        return None
    return a + keep[0].start(), a + keep[-1].end()


def find_people(
    text: str,
    orgs: list[Org],
    *,
    blocked: Iterable[tuple[int, int]] = (),
    quotes: Iterable[tuple[int, int]] = (),
) -> list[Person]:
    """People named in ``text`` and the posts it gives them.

    A person is a run of two to four capitalised words (titles and posts in front
    dropped) next to a verb of saying or "according to", possibly with a post
    between ("said the Head of X, Ambassador Jane Doe"; "Jane Doe, Head of X, said").
    ``blocked`` are spans that cannot hold a person; ``quotes`` the spans of quoted
    words (people are found outside them). A surname alone ("Doe said") is a
    mention of the person named before.
    """
    blocked_spans = list(blocked) + [(m.start, m.end) for o in orgs for m in o.mentions]
    quote_spans = list(quotes)
    people: list[Person] = []
    seen: dict[str, Person] = {}

    def usable(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in blocked_spans) and not any(
            x <= a < y for x, y in quote_spans
        )

    candidates: list[tuple[int, int, str]] = []
    for match in _RUN.finditer(text):
        trimmed = _trim_name(text, *match.span())
        if trimmed is None:
            continue
        a, b = trimmed
        if not usable(a, b) or re.search(r"\b(?:the|The|a|an)\s+$", text[: match.start()]):
            continue  # "a prosecutor at the Special Anti-Corruption Structure": not a person
        line_start = max(text.rfind("\n", 0, a) + 1, 0)
        before = text[line_start:a]
        before = before[max(before.rfind("“"), before.rfind("”"), before.rfind('"')) + 1 :]
        before = re.sub(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Mx|Amb|H\.E)\.", " ", before)
        after = text[b : text.find("\n", b) if "\n" in text[b:] else len(text)]
        if _SAID_BEFORE.search(before) or (_SAID_AFTER.match(after) and re.search(
            rf"(?i)\b(?:{_SPEECH})\b|according\s+to", before + after[:240]
        )):
            candidates.append((a, b, text[a:b]))
    for a, b, name in sorted(set(candidates)):
        person = seen.get(fold(name))
        if person is None:
            person = Person(name)
            seen[fold(name)] = person
            people.append(person)
        if (a, b) not in person.mentions:
            person.mentions.append((a, b))
    # "Doe said": a surname alone, after the full name
    for person in people:
        surname = person.name.split()[-1]
        first = min(a for a, _b in person.mentions)
        for match in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text):
            a, b = match.span()
            if a <= first or any(x <= a < y for x, y in person.mentions) or not usable(a, b):
                continue
            after = text[b : b + 40]
            before = text[max(0, a - 40) : a]
            if re.match(rf"\s*(?:{_SPEECH})\b", after) or re.search(
                rf"(?i)\b(?:{_SPEECH}|according\s+to)\s+$", before
            ):
                person.mentions.append((a, b))
    for person in people:
        for a, b in person.mentions:
            post = _post_after(text, b, orgs) or _post_before(text, a, orgs)
            if post is not None and not any(
                p.role == post.role and p.org is post.org for p in person.posts
            ):
                person.posts.append(post)
    return people


def _org_at(orgs: list[Org], start: int, *, slack: int = 0) -> tuple[Org, OrgMention] | None:
    for org in orgs:
        for mention in org.mentions:
            if start <= mention.start <= start + slack:
                return org, mention
    return None


def _anaphor(text: str, start: int, end: int, orgs: list[Org]) -> Org | None:
    """"the Mission’s": the organisation named before whose name holds "Mission"."""
    words = canonical(text[start:end])
    best = None
    for org in orgs:
        if any(m.start < start for m in org.mentions) and any(
            words in canonical(n).split(" of ")[0] for n in org.names
        ):
            best = org
    return best


def _post_after(text: str, end: int, orgs: list[Org]) -> Post | None:
    """", Head of the X at the Y" / ", the Y’s Officer" / ", UNICEF Specialist" after a name."""
    match = re.match(r",\s+(?P<post>[^,.;:“”\"()]{2,200}?)(?=\s*(?:,|\.|;|:|\(|$|\s+said\b|"
                     r"\s+added\b|\s+and\s+))", text[end:])
    if not match:
        return None
    phrase = match.group("post")
    pa = end + match.start("post")
    return _parse_post(text, pa, pa + len(phrase), orgs)


def _parse_post(text: str, pa: int, pb: int, orgs: list[Org]) -> Post | None:
    phrase = text[pa:pb]
    # the Y’s Officer
    poss = re.match(r"(?:the\s+)?(?P<org>.+?)(?:’s|'s|’)\s+(?P<role>.+)$", phrase)
    if poss:
        role = _role_phrase(poss.group("role"))
        if role:
            oa = pa + poss.start("org")
            found = _org_at(orgs, oa, slack=4)
            org = found[0] if found else _anaphor(text, oa, pa + poss.end("org"), orgs)
            return Post(role, org, pa, pb)
    # Head of the X / Officer at the Y / a lawyer with Y / a trainer from Y
    split = re.match(
        r"(?P<role>.+?)\s+(?:at|of|with|from|in|for)\s+(?:the\s+)?(?P<org>.+)$", phrase
    )
    if split:
        role = _role_phrase(split.group("role"))
        oa = pa + split.start("org")
        found = _org_at(orgs, oa, slack=0)
        if role and found:
            org, mention = found
            # "Head of the Centre X of the Academy Y": the post is at the centre (the unit)
            return Post(role, org, pa, pb)
        if role and not found:
            return Post(role, None, pa, pa + split.end("role"))
    # UNICEF Child Protection Specialist
    found = _org_at(orgs, pa, slack=4)
    if found:
        org, mention = found
        role = _role_phrase(text[mention.end : pb])
        if role:
            return Post(role, org, pa, pb)
    role = _role_phrase(phrase)
    if role:
        return Post(role, None, pa, pb)
    return None


def _post_before(text: str, start: int, orgs: list[Org]) -> Post | None:
    """"The Y’s Officer, Jane Doe" / "Y expert Jane Doe" / "said the Head of Y, Ambassador
    Jane Doe": the words between the last delimiter before the name and the name."""
    before = text[max(0, start - 200) : start]
    tail = re.search(
        r",?\s+(?:(?:Ambassador|Dr\.?|Mr\.?|Ms\.?|Mrs\.?|Prof\.?|Professor|H\.E\.)\s+)?$",
        before,
    )
    end = tail.start() if tail else len(before)
    delimiters = list(re.finditer(
        r"[.;:“”\"]\s*|\b(?:[Aa]ccording\s+to|said|added|noted|stressed|by|said\s+that)\s+|"
        r",\s+|^", before[:end],
    ))
    if not delimiters:
        return None
    post_start = delimiters[-1].end()
    if end - post_start < 2 or end - post_start > 150:
        return None
    pa = start - len(before) + post_start
    pb = start - len(before) + end
    phrase = text[pa:pb]
    clean = re.sub(r"^(?:[Tt]he|[Aa]n?)\s+", "", phrase)
    pa += len(phrase) - len(clean)
    return _parse_post(text, pa, pb, orgs)
