"""Querying a remote SPARQL 1.1 endpoint: the same canned queries, parameters and results.

::

    endpoint = RemoteEndpoint("http://localhost:3030/ds/sparql", auth=Auth(token="..."))
    result = endpoint.canned(project.queries["seminars"], {"place": "place:shymkent"})
    print(render(result, "csv").decode())

Requests go through SPARQLWrapper (POST, URL-encoded). Parameters are bound as
RDF terms in a ``VALUES`` block written by pyoxigraph (N-Triples syntax, which
escapes quotes, backslashes and line breaks), never by pasting user text into the
query. The block opens the query's top-level ``WHERE`` group, so the endpoint
evaluates the pattern with the variable already bound, as pyoxigraph's
substitution does locally (see docs/decisions/0006). Answers are parsed into the
same :class:`~pressgraph.sparql.QueryResult` as local queries (SPARQL JSON for
SELECT/ASK, N-Triples or Turtle for CONSTRUCT/DESCRIBE), so every output format
works alike. Project prefixes a query uses but does not declare are added on its
first line, so line numbers in the endpoint's error messages stay right.

Every failure becomes an :class:`~pressgraph.errors.EndpointError` whose message
names the endpoint (without credentials) and what went wrong; credentials (a
password, a bearer token, ``user:password@`` in the URL) never appear in
messages or logs.
"""

from __future__ import annotations

import ast
import base64
import http.client
import logging
import re
import socket
import urllib.error
import urllib.parse
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from SPARQLWrapper import CONSTRUCT, JSON, POST, SELECT, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from . import __version__
from .errors import EndpointError, ParameterError, QueryError
from .namespaces import PREFIXES
from .queries import CannedQuery, parse_query_text
from .sparql import QueryResult, Term, check_policy, code_only

__all__ = [
    "DEFAULT_TIMEOUT",
    "TOKEN_ENV",
    "USER_AGENT",
    "Auth",
    "RemoteEndpoint",
    "bind_values",
    "http_failure",
    "split_credentials",
    "summarise_body",
    "unreachable",
    "with_prefixes",
]

log = logging.getLogger(__name__)

#: seconds to wait for a remote endpoint or graph store
DEFAULT_TIMEOUT = 30.0
#: environment variable holding a bearer token for remote endpoints
TOKEN_ENV = "PRESSGRAPH_ENDPOINT_TOKEN"
USER_AGENT = f"pressgraph/{__version__}"

_ACCEPT = {
    "select": "application/sparql-results+json",
    "ask": "application/sparql-results+json",
    "graph": "application/n-triples, text/turtle;q=0.9",
    None: "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8",
}
_FORM = re.compile(r"(?<![?$:\w.-])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:.-])", re.I)
_SUBSELECT = re.compile(r"\s*SELECT(?![\w:.-])", re.I)
_VALUES_KEYWORD = re.compile(r"(?<![?$:\w.-])VALUES(?![\w:.-])", re.I)
_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DECLARED = re.compile(r"(?<![\w:.-])PREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.I)


@dataclass(frozen=True)
class Auth:
    """Credentials for an endpoint: HTTP Basic (user and password) or a bearer token.

    The secrets are left out of ``repr`` so they cannot reach logs or tracebacks:

    >>> Auth(user="ann", password="s3cret")
    Auth(user='ann')
    """

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.token and (self.user or self.password):
            raise EndpointError("give either a user and password or a token, not both")
        if self.password and not self.user:
            raise EndpointError("a password needs a user (--user)")

    def __bool__(self) -> bool:
        return bool(self.token or self.user)

    @property
    def header(self) -> str | None:
        """The ``Authorization`` header value, or ``None`` without credentials."""
        if self.token:
            return f"Bearer {self.token}"
        if self.user:
            pair = f"{self.user}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None

    def secrets(self) -> list[str]:
        """Every form in which a secret could leak: raw, URL-quoted, in the header."""
        raw = [s for s in (self.password, self.token) if s]
        forms = {*raw, *(urllib.parse.quote(s, safe="") for s in raw)}
        if self.header and raw:
            forms.add(self.header.split(" ", 1)[1])
        return sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """``text`` with every secret replaced by ``***``."""
        for secret in self.secrets():
            text = text.replace(secret, "***")
        return text


def split_credentials(url: str, auth: Auth | None = None) -> tuple[str, Auth]:
    """``url`` without ``user:password@``, and the credentials to use (explicit ones win).

    >>> split_credentials("https://ann:pw@example.org/sparql")
    ('https://example.org/sparql', Auth(user='ann'))
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        # never echo the URL: it may hold a password
        raise EndpointError("the endpoint must be an http:// or https:// URL with a host")
    if parts.username is None:
        return url, auth or Auth()
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    clean = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    if auth:
        return clean, auth
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password) if parts.password is not None else None
    return clean, Auth(user=user, password=password)


def with_prefixes(text: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """``text`` with the project prefixes it uses but does not declare, on its first line.

    >>> with_prefixes("SELECT * WHERE { ?s a schema:Event }")[:44]
    'PREFIX schema: <http://schema.org/> SELECT *'
    """
    code = code_only(text)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(code)}
    needed = [
        p
        for p in prefixes
        if p not in declared and re.search(rf"(?<![\w.:?$-]){re.escape(p)}:", code)
    ]
    if not needed:
        return text
    return " ".join(f"PREFIX {p}: <{prefixes[p]}>" for p in needed) + " " + text


def bind_values(text: str, bindings: Mapping[str, Term]) -> str:
    """``text`` with ``bindings`` in a ``VALUES`` block opening each group of its ``WHERE`` clause.

    Binding the variables in every group (``OPTIONAL``, ``MINUS``, ``EXISTS``, ``GRAPH``
    and plain groups; not inside sub-queries, which have their own scope) makes the
    endpoint see them wherever pyoxigraph's substitution would, filters included. Terms
    are written by pyoxigraph in N-Triples syntax, so no value can change the query's
    structure. A query without groups (``CONSTRUCT WHERE``) gets a trailing block.
    Nothing is added without bindings.

    >>> bind_values('SELECT ?x WHERE { ?s ?p ?x }', {"x": ox.Literal('a "b" }')})
    'SELECT ?x WHERE { VALUES (?x) { ("a \\\\"b\\\\" }") } ?s ?p ?x }'
    """
    if not bindings:
        return text
    names, terms = [], []
    for name, term in bindings.items():
        if not _VARNAME.fullmatch(name):
            raise ParameterError(f"{name!r} is not a SPARQL variable name", name)
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise ParameterError(
                f"parameter {name!r} must be an IRI or a literal to be sent to an endpoint, "
                f"got {type(term).__name__}",
                name,
            )
        names.append(f"?{name}")
        terms.append(str(term))
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
    openings = _group_openings(code_only(text))
    if not openings:
        return f"{text}\n{block.strip()}\n"
    out, last = [], 0
    for at in openings:
        out += [text[last:at], block]
        last = at
    out.append(text[last:])
    return "".join(out)


def _group_openings(code: str) -> list[int]:
    """Offsets just past each ``{`` that opens a group of the query's WHERE clause.

    Data blocks of ``VALUES`` and sub-queries (``{ SELECT ... }``) are skipped.
    """
    start = _where_group(code)
    if start is None or _SUBSELECT.match(code, start):
        return []
    openings = [start]
    depth, i, values_pending = 1, start, False
    while i < len(code) and depth > 0:
        c = code[i]
        if c == "{":
            if values_pending:  # a VALUES data block holds terms only
                i = code.find("}", i)
                values_pending = False
                if i < 0:
                    break
            elif _SUBSELECT.match(code, i + 1):
                i = _group_end(code, i) - 1
            else:
                openings.append(i + 1)
                depth += 1
        elif c == "}":
            depth -= 1
        elif _VALUES_KEYWORD.match(code, i):
            values_pending = True
        i += 1
    return openings


def _where_group(code: str) -> int | None:
    """Offset just past the ``{`` that opens the top-level WHERE group of a query."""
    form = _FORM.search(code)
    if form is None:
        return None
    start = form.end()
    if form.group(1).upper() == "CONSTRUCT":
        rest = code[start:].lstrip()
        if rest[:5].upper() == "WHERE":
            return None  # short form: its template holds triples only
        opening = code.find("{", start)
        if opening < 0:
            return None
        start = _group_end(code, opening)
    depth = 0
    for i in range(start, len(code)):
        c = code[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "{" and depth == 0:
            return i + 1
    return None


def _group_end(code: str, opening: int) -> int:
    """Offset just past the ``}`` matching the ``{`` at ``opening``."""
    depth = 0
    for i in range(opening, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(code)


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint, queried like the embedded store.

    ``url`` may carry ``user:password@``; it is split off and used as HTTP Basic
    credentials unless ``auth`` is given. ``timeout`` is in seconds; at most
    ``max_rows`` rows are kept (``truncated`` says so), as locally.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        auth: Auth | None = None,
        max_rows: int = 10_000,
    ) -> None:
        if timeout <= 0:
            raise EndpointError(f"the timeout must be positive, got {timeout:g}")
        self.url, self.auth = split_credentials(url, auth)
        self.timeout = timeout
        self.max_rows = max_rows

    def __repr__(self) -> str:
        return f"RemoteEndpoint({self.url!r})"

    def canned(self, canned: CannedQuery, params: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a canned query with typed parameters (text values or RDF terms)."""
        return self.query(canned.text, canned.bind(params or {}), source=str(canned.path))

    def query(
        self, text: str, bindings: Mapping[str, Term] | None = None, *, source: str = "query"
    ) -> QueryResult:
        """Run ``text`` on the endpoint with ``bindings`` bound; the same result type as locally.

        A query pyoxigraph cannot parse is still sent (the endpoint may know an
        extension); the endpoint's own message then says what is wrong.
        """
        check_policy(text)
        sent = with_prefixes(bind_values(text, bindings or {}))
        kind = _kind(sent, source)
        if kind is None and bindings and _kind(with_prefixes(text), source) is not None:
            raise QueryError("the parameters cannot be bound with a VALUES block", source)
        body, content_type = self._post(sent, kind, source)
        return self._parse(body, content_type, kind, source)

    def _post(self, text: str, kind: str | None, source: str) -> tuple[bytes, str]:
        wrapper = SPARQLWrapper(self.url, agent=USER_AGENT)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)
        wrapper.setReturnFormat(TURTLE if kind == "graph" else JSON)
        with warnings.catch_warnings():
            # SPARQLWrapper guesses the query form with a regex and warns when unsure;
            # we know the form from pyoxigraph and set it below
            warnings.simplefilter("ignore", RuntimeWarning)
            wrapper.setQuery(text)
        wrapper.queryType = CONSTRUCT if kind == "graph" else SELECT
        wrapper.timeout = self.timeout  # type: ignore[assignment]  # float seconds are fine
        wrapper.addCustomHttpHeader("Accept", _ACCEPT[kind])
        if self.auth.header:
            wrapper.addCustomHttpHeader("Authorization", self.auth.header)
        log.debug("POST %s (%s query, %d characters)", self.url, kind or "unknown", len(text))
        try:
            response = wrapper.query().response
            try:
                body = response.read()
                content_type = response.headers.get("Content-Type", "")
            finally:
                response.close()
        except SPARQLWrapperException as exc:
            raise self._error(_sparqlwrapper_status(exc), _sparqlwrapper_body(exc), source) from exc
        except urllib.error.HTTPError as exc:
            with exc:
                raise self._error(exc.code, exc.read(), source) from exc
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            message = unreachable(self.url, exc, self.timeout)
            raise EndpointError(self.auth.redact(_where(source) + message)) from exc
        log.debug("%s answered %s (%d bytes)", self.url, content_type or "no type", len(body))
        return body, content_type

    def _error(self, status: int, body: bytes, source: str) -> EndpointError:
        message = http_failure(self.url, status, body, what="query")
        return EndpointError(self.auth.redact(_where(source) + message))

    def _parse(self, body: bytes, content_type: str, kind: str | None, source: str) -> QueryResult:
        media = content_type.split(";")[0].strip().lower()
        results_format = ox.QueryResultsFormat.from_media_type(media) if media else None
        rdf_format = ox.RdfFormat.from_media_type(media) if media else None
        if results_format is None and rdf_format is None:
            # no usable media type: trust what was asked for
            if kind == "graph":
                rdf_format = ox.RdfFormat.TURTLE
            else:
                results_format = ox.QueryResultsFormat.JSON
        try:
            if rdf_format is not None:
                if kind in ("select", "ask"):
                    raise SyntaxError(f"an RDF graph for a {str(kind).upper()} query")
                triples = [q.triple for q in ox.parse(body, format=rdf_format)]
                return QueryResult("graph", triples=triples)
            if kind == "graph":
                raise SyntaxError("query results for a CONSTRUCT/DESCRIBE query")
            parsed = ox.parse_query_results(
                body, format=results_format or ox.QueryResultsFormat.JSON
            )
            if isinstance(parsed, ox.QueryBoolean):
                return QueryResult("ask", boolean=bool(parsed))
            variables = [v.value for v in parsed.variables]
            rows: list[tuple[Term | None, ...]] = []
            truncated = False
            for solution in parsed:  # parsed as it is read: errors can come late
                if len(rows) >= self.max_rows:
                    truncated = True
                    break
                rows.append(tuple(solution[v] for v in variables))  # type: ignore[misc]
        except (SyntaxError, ValueError, OSError) as exc:
            detail = getattr(exc, "msg", None) or str(exc)
            raise EndpointError(
                self.auth.redact(
                    f"{_where(source)}the endpoint {self.url} answered with something that is "
                    f"not a usable result ({media or 'no media type'}): {_clip(detail)}"
                )
            ) from exc
        return QueryResult("select", variables=variables, rows=rows, truncated=truncated)


def _kind(text: str, source: str) -> str | None:
    """The query form as pyoxigraph reads it ("select", "ask", "graph"), or ``None``."""
    try:
        return parse_query_text(text, source)
    except QueryError:
        return None


def _where(source: str) -> str:
    return "" if source == "query" else f"{source}: "


def _sparqlwrapper_status(exc: SPARQLWrapperException) -> int:
    from SPARQLWrapper import SPARQLExceptions as e

    return {
        e.QueryBadFormed: 400,
        e.Unauthorized: 401,
        e.EndPointNotFound: 404,
        e.URITooLong: 414,
        e.EndPointInternalError: 500,
    }.get(type(exc), 500)


def _sparqlwrapper_body(exc: SPARQLWrapperException) -> bytes:
    """The response body SPARQLWrapper folded into its message (it keeps no attribute)."""
    _, sep, tail = str(exc).partition("\n\nResponse:\n")
    if not sep:
        return b""
    try:
        value = ast.literal_eval(tail)
    except (ValueError, SyntaxError):
        return tail.encode()
    return value if isinstance(value, bytes) else str(value).encode()


def summarise_body(body: bytes, limit: int = 300) -> str:
    """An error response body as one short line: tags stripped, spaces collapsed, clipped."""
    text = body.decode("utf-8", "replace")
    if "<" in text and re.search(r"</?(html|body|p|pre|h\d|title)\b", text, re.I):
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
    return _clip(" ".join(text.split()), limit)


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def http_failure(url: str, status: int, body: bytes, *, what: str) -> str:
    """A message for an HTTP error ``status`` from ``url``, with the server's own words."""
    said = summarise_body(body)
    said = f": {said}" if said else ""
    if status == 400:
        return f"the endpoint {url} rejected the {what} (HTTP 400){said}"
    if status in (401, 403):
        return (
            f"the endpoint {url} refused access (HTTP {status}): check the credentials "
            f"(--user/--password, or a token in {TOKEN_ENV}){said}"
        )
    if status == 404:
        return f"nothing answers at {url} (HTTP 404): check the URL{said}"
    if status == 405:
        return f"{url} does not allow this request (HTTP 405): is it the right URL?{said}"
    if status >= 500:
        return f"the endpoint {url} failed (HTTP {status}){said}"
    return f"the endpoint {url} answered HTTP {status}{said}"


def unreachable(url: str, exc: BaseException, timeout: float) -> str:
    """A message for a request to ``url`` that got no HTTP answer."""
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return f"the endpoint {url} did not answer within {timeout:g} s (timeout)"
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot reach {url}: connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return f"cannot reach {url}: unknown host"
    if isinstance(reason, http.client.RemoteDisconnected | ConnectionResetError):
        return f"the endpoint {url} closed the connection without an answer"
    detail = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return f"cannot reach {url}: {detail}"
