"""Compact JSON-LD with the project's own context, written directly, never fetching anything.

pyoxigraph writes expanded JSON-LD only, and PyLD's compaction is super-linear in the
size of the document (modelling trap 12), so :func:`write_dataset` writes the compact
form itself: quads are grouped into one node object per subject and one graph object per
named graph, and every IRI and value is written as the context lets it be written
*exactly*:

* a property becomes the term whose ``@id`` is that IRI and whose coercion fits the value
  (``@type: @id`` for an IRI, ``@type: xsd:date`` for a date, ``@language: en`` for an
  English string), so the value can be a plain JSON string; values that fit no term's
  coercion go, in expanded form (``{"@id": ...}``, ``{"@value": ..., "@type": ...}``,
  ``{"@value": ..., "@language": ...}``), under the property's plainest key;
* IRIs become compact IRIs (``event:x``) with the context's prefixes, or stay absolute;
  an IRI that the context would misread (its scheme is a term of the context, such as
  ``event:x`` written as an absolute IRI) is written in a node object carrying
  ``"@context": null`` and in expanded form;
* ``rdf:type`` with IRI objects becomes ``@type``.

Only the context features the writer models are accepted (prefixes, keyword aliases,
terms with ``@id`` and one ``@type`` or ``@language``, a default ``@language``); a term
using anything else (``@container``, ``@reverse``, a scoped ``@context``...) is never
chosen, and a context-wide feature it does not model (``@import``, ``@direction``...) is
refused. The output is deterministic: graphs, nodes and values are sorted, keys are
sorted, one node object per line. Losslessness is tested by reading the output back
with PyLD (:func:`to_quads`) and pyoxigraph.

Every PyLD call is given a document loader that refuses to load anything: a remote context
is a server-side request forgery hole, and there is no network at run time.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import DataError, ExportError

__all__ = [
    "Compactor",
    "compact_dataset",
    "gc_paused",
    "load_context",
    "no_remote_loader",
    "to_quads",
    "write_dataset",
]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_GEN_DELIMS = frozenset(":/?#[]@")
_DELIM = re.compile(r"[:/?#\[\]@]")
#: keys of a term definition that do not change how its values expand
_HARMLESS = frozenset({"@id", "@type", "@language", "@prefix", "@protected"})
#: context-wide keys the writer models (``@vocab`` and ``@base`` never touch what it writes:
#: every key or value it writes is a term, a compact IRI or an absolute IRI)
_TOP_LEVEL = frozenset({"@version", "@vocab", "@base", "@language", "@protected"})


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (the collector rescans every live term each
    time a few hundred containers are made: half the time of a large export)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def no_remote_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A PyLD document loader that loads nothing (remote contexts are refused)."""
    from pyld import jsonld

    raise jsonld.JsonLdError(
        f"refusing to load {url!r}: remote JSON-LD documents are never fetched",
        "jsonld.LoadDocumentError",
        code="loading remote context failed",
    )


def load_context(path: Path) -> dict[str, Any]:
    """The ``@context`` object of a local context file."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"cannot read JSON-LD context: {exc}", path) from exc
    if not isinstance(doc, dict) or "@context" not in doc:
        raise DataError("a JSON-LD context file must be an object with '@context'", path)
    return doc["@context"]


# --------------------------------------------------------------------------- the context


@dataclass(frozen=True)
class _Term:
    name: str
    iri: str
    #: "@id", a datatype IRI, or None (no type coercion)
    type: str | None
    #: the language a plain string gets under this term (None: none, it is an xsd:string)
    language: str | None
    simple: bool


@dataclass
class _Key:
    """How the values of one property are written: which key takes which plain strings."""

    #: key for values written in expanded form (and for IRIs when no term coerces to @id)
    plain: str
    iri: str | None = None
    typed: dict[str, str] = field(default_factory=dict)
    lang: dict[str, str] = field(default_factory=dict)
    string: str | None = None


class Compactor:
    """What a JSON-LD context lets us write compactly, computed once from the context.

    >>> c = Compactor({"schema": "http://schema.org/",
    ...                "name": {"@id": "schema:name", "@language": "en"}})
    >>> c.iri("http://schema.org/Event")
    'schema:Event'
    >>> key = c.key("http://schema.org/name")
    >>> key.lang, key.string
    ({'en': 'name'}, 'schema:name')
    """

    def __init__(self, context: Any) -> None:
        if not isinstance(context, dict):
            raise ExportError("the JSON-LD writer needs an inline context object (no remote one)")
        unknown = sorted(k for k in context if k.startswith("@") and k not in _TOP_LEVEL)
        if unknown:
            raise ExportError(
                f"the JSON-LD context uses {', '.join(unknown)}, which the writer does not model"
            )
        self.context = context
        default = context.get("@language")
        self.default_language = default.lower() if isinstance(default, str) else None
        #: every term name (an absolute IRI whose scheme is one of them could be misread)
        self.names = frozenset(k for k in context if not k.startswith("@"))
        self._expanding: set[str] = set()
        self._mapping: dict[str, str | None] = {}
        terms: list[_Term] = []
        prefixes: dict[str, str] = {}
        for name in sorted(self.names):
            definition = context[name]
            iri = self._term_iri(name)
            if iri is None or iri.startswith("@"):
                continue  # null, or a keyword alias (we write the keywords themselves)
            if isinstance(definition, str):
                terms.append(_Term(name, iri, None, self.default_language, True))
                if iri[-1] in _GEN_DELIMS:
                    prefixes.setdefault(iri, name)
                continue
            if not isinstance(definition, dict):
                continue
            if definition.get("@prefix") is True:
                prefixes.setdefault(iri, name)
            if not self._harmless(definition):
                continue
            coerce = definition.get("@type")
            if coerce is not None:
                coerce = self._expand(coerce, vocab=True)
                if coerce is None or (coerce.startswith("@") and coerce != "@id"):
                    continue  # @vocab, @json, @none: not modelled
                language = None
            elif "@language" in definition:
                lang = definition["@language"]
                language = lang.lower() if isinstance(lang, str) else None
            else:
                language = self.default_language
            terms.append(_Term(name, iri, coerce, language, False))
        self._terms: dict[str, list[_Term]] = {}
        for term in sorted(terms, key=lambda t: (len(t.name), t.name)):
            self._terms.setdefault(term.iri, []).append(term)
        #: prefixes, longest namespace first when tried from the end of an IRI
        self._prefixes = prefixes
        self._iri_cache: dict[str, str | None] = {}
        self._vocab_cache: dict[str, str | None] = {}
        self._keys: dict[str, _Key | None] = {}

    @staticmethod
    def _harmless(definition: dict[str, Any]) -> bool:
        for k, v in definition.items():
            if k == "@container" and v in ("@set", ["@set"]):
                continue
            if k not in _HARMLESS:
                return False
        return not (
            "@language" in definition
            and ("@type" in definition or not isinstance(definition["@language"], str | None))
        )

    # -- expanding the context's own IRIs

    def _term_iri(self, name: str) -> str | None:
        if name in self._mapping:
            return self._mapping[name]
        if name in self._expanding:
            raise ExportError(f"the JSON-LD context defines {name!r} in terms of itself")
        self._expanding.add(name)
        definition = self.context[name]
        if isinstance(definition, dict):
            raw = definition.get("@id", name if ":" in name else None)
            if "@reverse" in definition:
                raw = None
        else:
            raw = definition
        iri = None if raw is None else self._expand(raw, vocab=True, self_name=name)
        self._expanding.discard(name)
        self._mapping[name] = iri
        return iri

    def _expand(self, value: str, *, vocab: bool, self_name: str | None = None) -> str | None:
        if not isinstance(value, str):
            return None
        if value.startswith("@"):
            return value
        if vocab and value in self.names and value != self_name:
            return self._term_iri(value)
        prefix, colon, suffix = value.partition(":")
        if colon and prefix != "_" and not suffix.startswith("//") and prefix in self.names:
            base = self._term_iri(prefix) if prefix != self_name else None
            if base is not None and not base.startswith("@"):
                return base + suffix
        return value if colon else None

    # -- writing IRIs

    def safe_absolute(self, iri: str, *, vocab: bool) -> bool:
        """Whether ``iri`` written as it is reads back as itself."""
        scheme, _colon, rest = iri.partition(":")
        if scheme == "_" or (scheme in self.names and not rest.startswith("//")):
            return False
        return not (vocab and iri in self.names)

    def _compact(self, iri: str, *, vocab: bool) -> str | None:
        """A compact IRI for ``iri`` (shortest suffix), the IRI itself, or None if unsafe."""
        for match in reversed(list(_DELIM.finditer(iri))):
            end = match.end()
            name = self._prefixes.get(iri[:end])
            if name is not None:
                suffix = iri[end:]
                candidate = f"{name}:{suffix}"
                if not suffix.startswith("//") and candidate not in self.names:
                    return candidate
        return iri if self.safe_absolute(iri, vocab=vocab) else None

    def iri(self, iri: str) -> str | None:
        """``iri`` as the value of ``@id`` (document-relative: no terms); None if not writable."""
        found = self._iri_cache.get(iri, False)
        if found is False:
            found = self._iri_cache[iri] = self._compact(iri, vocab=False)
        return found  # type: ignore[return-value]

    def vocab(self, iri: str) -> str | None:
        """``iri`` as a type or datatype (vocabulary-relative: a term where one maps to it)."""
        found = self._vocab_cache.get(iri, False)
        if found is False:
            terms = self._terms.get(iri)
            simple = [t.name for t in terms or () if t.simple]
            if simple or terms:
                found = (simple or [t.name for t in terms or ()])[0]
            else:
                found = self._compact(iri, vocab=True)
            self._vocab_cache[iri] = found
        return found  # type: ignore[return-value]

    def key(self, predicate: str) -> _Key | None:
        """The keys the values of ``predicate`` go under; None if it cannot be a key."""
        found = self._keys.get(predicate, False)
        if found is not False:
            return found  # type: ignore[return-value]
        terms = list(self._terms.get(predicate, ()))
        compact = self._compact(predicate, vocab=True)
        if compact is not None and compact not in self.names:
            # a compact or absolute IRI as a key: no coercion, the default language
            terms.append(_Term(compact, predicate, None, self.default_language, True))
        if not terms:
            self._keys[predicate] = None
            return None
        plain = next((t.name for t in terms if t.type is None and t.language is None), None)
        if plain is None:
            plain = next((t.name for t in terms if t.name == compact), terms[0].name)
        key = _Key(plain)
        for t in terms:  # terms first (shortest name first), then the compact IRI
            if t.type == "@id":
                key.iri = key.iri or t.name
            elif t.type is not None:
                key.typed.setdefault(t.type, t.name)
            elif t.language is not None:
                key.lang.setdefault(t.language, t.name)
            else:
                key.string = key.string or t.name
        self._keys[predicate] = key
        return key


# --------------------------------------------------------------------------- writing


class _Unwritable(Exception):
    """An IRI the context would misread: write the node in expanded form, context null."""


_Named, _Blank, _Literal = ox.NamedNode, ox.BlankNode, ox.Literal


def _term_order(term: Any) -> tuple[int, str, str]:
    """Sort key: IRIs by IRI, then blank nodes by label, literals (first) by text."""
    kind = type(term)
    if kind is _Named:
        return (1, term.value, "")
    if kind is _Blank:
        return (2, term.value, "")
    if kind is _Literal:
        return (0, term.value, term.language or term.datatype.value)
    return (3, str(term), "")


def _unsupported(term: Any) -> ExportError:
    if isinstance(term, _Literal) and term.direction:
        return ExportError(
            "a literal with a base direction cannot be written losslessly in JSON-LD 1.1 "
            f"(it reads back without it): {term}"
        )
    return ExportError(f"cannot write {term} in JSON-LD 1.1 (RDF 1.2 triple terms are not)")


class _Writer:
    """Node objects for one document, with per-term caches (IRIs and keys repeat a lot)."""

    def __init__(self, compactor: Compactor) -> None:
        self.c = compactor
        self.ids: dict[Any, str | None] = {}
        self.keys: dict[Any, _Key | None] = {}

    def node_id(self, term: Any) -> str:
        found = self.ids.get(term, False)
        if found is False:
            t = type(term)
            if t is _Named:
                found = self.c.iri(term.value)
            elif t is _Blank:
                found = "_:" + term.value
            else:
                raise _unsupported(term)
            self.ids[term] = found
        if found is None:
            raise _Unwritable
        return found  # type: ignore[return-value]

    def nodes(self, subjects: dict[Any, dict[Any, list[Any]]]) -> list[dict[str, Any]]:
        out = []
        for subject in sorted(subjects, key=_term_order):
            props = subjects[subject]
            try:
                out.append(self.node(subject, props))
            except _Unwritable:
                out.append({"@context": None, **_expanded_node(subject, props)})
        return out

    def node(self, subject: Any, props: dict[Any, list[Any]]) -> dict[str, Any]:
        node: dict[str, Any] = {"@id": self.node_id(subject)}
        out: dict[str, list[Any]] = {}
        keys = self.keys
        for predicate, objects in props.items():
            if len(objects) > 1:
                objects = sorted(set(objects), key=_term_order)
            key = keys.get(predicate, False)
            if key is False:
                key = keys[predicate] = self.c.key(predicate.value)
            if key is None:
                raise _Unwritable
            if predicate.value == RDF_TYPE:
                rest = []
                types = []
                for o in objects:
                    if type(o) is _Named:
                        t = self.c.vocab(o.value)
                        if t is None:
                            raise _Unwritable
                        types.append(t)
                    else:
                        rest.append(o)
                node["@type"] = types[0] if len(types) == 1 else types
                if not types:
                    del node["@type"]
                objects = rest
            for o in objects:
                kind = type(o)
                if kind is _Literal:
                    lex = o.value
                    lang = o.language
                    if lang:
                        if o.direction:
                            raise _unsupported(o)
                        k = key.lang.get(lang)
                        if k is None:
                            k, lex = key.plain, {"@value": lex, "@language": lang}
                    else:
                        dt = o.datatype.value
                        if dt == XSD_STRING:
                            k = key.string
                            if k is None:
                                k, lex = key.plain, {"@value": lex}
                        else:
                            k = key.typed.get(dt)
                            if k is None:
                                t = self.c.vocab(dt)
                                if t is None:
                                    raise _Unwritable
                                k, lex = key.plain, {"@value": lex, "@type": t}
                    value: Any = lex
                else:
                    value = self.node_id(o)
                    k = key.iri
                    if k is None:
                        k, value = key.plain, {"@id": value}
                found = out.get(k)
                if found is None:
                    out[k] = [value]
                else:
                    found.append(value)
        for k, values in out.items():
            node[k] = values[0] if len(values) == 1 else values
        return node


def _expanded_node(subject: Any, props: dict[Any, list[Any]]) -> dict[str, Any]:
    """A node object in expanded form: what it means does not depend on any context."""

    def ref(term: Any) -> str:
        if type(term) is _Named:
            return term.value
        if type(term) is _Blank:
            return "_:" + term.value
        raise _unsupported(term)

    node: dict[str, Any] = {"@id": ref(subject)}
    for predicate in sorted(props, key=_term_order):
        values: list[Any] = []
        for o in sorted(set(props[predicate]), key=_term_order):
            if predicate.value == RDF_TYPE and type(o) is _Named:
                node.setdefault("@type", []).append(o.value)
            elif type(o) is _Literal:
                if o.direction:
                    raise _unsupported(o)
                if o.language:
                    values.append({"@value": o.value, "@language": o.language})
                elif o.datatype.value == XSD_STRING:
                    values.append({"@value": o.value})
                else:
                    values.append({"@value": o.value, "@type": o.datatype.value})
            else:
                values.append({"@id": ref(o)})
        if values:
            node[predicate.value] = values
    return node


def _group(quads: Iterable[ox.Quad]) -> dict[Any, dict[Any, dict[Any, list[Any]]]]:
    """graph -> subject -> predicate -> objects (the default graph under None)."""
    graphs: dict[Any, dict[Any, dict[Any, list[Any]]]] = {}
    for q in quads:
        g = q.graph_name
        subjects = graphs.get(g)
        if subjects is None:
            subjects = graphs[g] = {}
        s = q.subject
        props = subjects.get(s)
        if props is None:
            props = subjects[s] = {}
        p = q.predicate
        objects = props.get(p)
        if objects is None:
            props[p] = [q.object]
        else:
            objects.append(q.object)
    default = ox.DefaultGraph()
    if default in graphs:
        graphs[None] = graphs.pop(default)
    return graphs


def compact_dataset(quads: Iterable[ox.Quad], context: dict[str, Any]) -> dict[str, Any]:
    """A compact JSON-LD document of a dataset: default-graph nodes, then one graph object
    per named graph.

    Named graphs are sorted by name, nodes by subject (IRIs, then blank nodes), values by
    kind and text; duplicates are dropped; blank node labels are kept (canonicalise them
    first for deterministic output). Graph names are written as full IRIs. A node the
    default graph describes and a graph of the same name are two objects with the same
    ``@id``, which JSON-LD merges.
    """
    compactor = Compactor(context)
    writer = _Writer(compactor)
    graphs = _group(quads)
    top: list[dict[str, Any]] = writer.nodes(graphs.pop(None, {}))
    for name in sorted(graphs, key=_term_order):
        subjects = graphs[name]
        if type(name) is _Blank:
            top.append({"@id": "_:" + name.value, "@graph": writer.nodes(subjects)})
        elif compactor.safe_absolute(name.value, vocab=False):
            top.append({"@id": name.value, "@graph": writer.nodes(subjects)})
        else:
            nodes = [_expanded_node(s, subjects[s]) for s in sorted(subjects, key=_term_order)]
            top.append({"@context": None, "@id": name.value, "@graph": nodes})
    return {"@context": context, "@graph": top}


def write_dataset(quads: Iterable[ox.Quad], context: dict[str, Any]) -> bytes:
    """:func:`compact_dataset` as UTF-8 text: the context indented, one node per line."""
    with gc_paused():
        return _dumps(compact_dataset(quads, context))


def _dumps(doc: dict[str, Any]) -> bytes:
    compact = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": ")).encode
    parts = ['{\n  "@context": ']
    parts.append(
        json.dumps(doc["@context"], indent=2, ensure_ascii=False, sort_keys=True).replace(
            "\n", "\n  "
        )
    )
    parts.append(',\n  "@graph": [')
    first = True
    for obj in doc["@graph"]:
        parts.append("\n    " if first else ",\n    ")
        first = False
        if "@graph" in obj:
            head = {k: v for k, v in obj.items() if k != "@graph"}
            text = compact(head)
            parts.append(text[:-1] + ', "@graph": [')
            inner = ",".join("\n      " + compact(n) for n in obj["@graph"])
            parts.append(inner + "\n    ]}")
        else:
            parts.append(compact(obj))
    parts.append("\n  ]\n}\n")
    return "".join(parts).encode()


def to_quads(document: Any) -> list[ox.Quad]:
    """Parse a JSON-LD document with PyLD (an independent processor) into quads."""
    from pyld import jsonld

    try:
        nquads = jsonld.to_rdf(
            document, {"documentLoader": no_remote_loader, "format": "application/n-quads"}
        )
    except jsonld.JsonLdError as exc:
        root: Any = exc
        while isinstance(root.__cause__, jsonld.JsonLdError):
            root = root.__cause__
        message = root.args[0] if root.args else str(root)
        raise DataError(f"invalid JSON-LD: {message}") from exc
    return list(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS))
