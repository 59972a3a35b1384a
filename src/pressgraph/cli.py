"""The ``pressgraph`` command line: a thin adapter over :class:`pressgraph.project.Project`.

Exit codes (all commands): 0 success (``validate``: conforms), 1 the data does
not conform (``validate``, ``build``, ``publish``), 2 an error (bad input, bad query,
unknown name); the message says what and where. ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from click.core import ParameterSource

from . import __version__
from .errors import PressgraphError, ValidationFailed
from .namespaces import curie
from .project import EXPORT_FORMATS, Project
from .queries import Catalogue
from .remote import DEFAULT_TIMEOUT, TOKEN_ENV, Auth, RemoteEndpoint, split_credentials
from .results import GRAPH_FORMATS, TABULAR_FORMATS, render
from .settings import Settings
from .validate import ValidationReport

EXIT_OK, EXIT_NONCONFORMING, EXIT_ERROR = 0, 1, 2


def _load(ctx: click.Context) -> Project:
    if "project" not in ctx.obj:
        ctx.obj["project"] = Project.load(settings=ctx.obj["settings"])
    return ctx.obj["project"]


def _load_synced(ctx: click.Context, quiet: bool) -> Project:
    """The project with its persistent store brought up to date first (``build``, ``validate``)."""
    from .progress import ProgressBar, progress_enabled

    if "project" not in ctx.obj:
        bar = ProgressBar("loading", enabled=progress_enabled(quiet))
        try:
            ctx.obj["project"] = Project.load(settings=ctx.obj["settings"], sync=True, progress=bar)
        finally:
            bar.close()
    return ctx.obj["project"]


def _validate(project: Project, jobs: int | None, quiet: bool) -> ValidationReport:
    from .progress import ProgressBar, progress_enabled

    bar = ProgressBar("validating", enabled=progress_enabled(quiet))
    try:
        return project.validate(jobs=jobs, progress=bar)
    finally:
        bar.close()


_quiet = click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
_jobs = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None,
    help="Validation processes (default: one per core).",
)


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected key=value, got {item!r}", param_hint="--param")
        params[key.strip()] = value
    return params


_REMOTE_OPTIONS = ("timeout", "user", "password", "token")


def _remote_options(f: Callable[..., None]) -> Callable[..., None]:
    """--timeout and the credentials of a remote endpoint (never echoed anywhere)."""
    options = [
        click.option(
            "--timeout",
            type=float,
            default=None,
            help=f"Seconds to wait for the endpoint (default {DEFAULT_TIMEOUT:g}).",
        ),
        click.option("--user", default=None, help="User for HTTP authentication."),
        click.option(
            "--password",
            default=None,
            envvar="PRESSGRAPH_ENDPOINT_PASSWORD",
            show_envvar=True,
            help="Password for --user (prompted for when missing on a terminal).",
        ),
        click.option(
            "--token",
            default=None,
            envvar=TOKEN_ENV,
            show_envvar=True,
            help="Bearer token (better given in the environment than on the command line).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _auth(ctx: click.Context, user: str | None, password: str | None, token: str | None) -> Auth:
    """Credentials from the options; a token from the environment yields to --user."""
    if user and ctx.get_parameter_source("token") is ParameterSource.ENVIRONMENT:
        token = None
    if user and password is None:
        if not sys.stdin.isatty():
            raise click.UsageError("--user needs --password (or PRESSGRAPH_ENDPOINT_PASSWORD)")
        password = click.prompt(f"password for {user}", hide_input=True)
    return Auth(user=user, password=password, token=token)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pressgraph")
@click.option(
    "-C",
    "--project",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (default: current folder or PRESSGRAPH_ROOT).",
)
@click.option("--base-iri", default=None, help="Base IRI of the data (PRESSGRAPH_BASE_IRI).")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, base_iri: str | None, debug: bool) -> None:
    """pressgraph: announcements as a validated, queryable, traceable knowledge graph."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["settings"] = Settings.from_env(root=root, base_iri=base_iri)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@_quiet
@_jobs
@click.pass_context
def validate(ctx: click.Context, fmt: str, quiet: bool, jobs: int | None) -> None:
    """Validate data/ against shapes/ (with ontology/). Exit 0 conforms, 1 does not, 2 error.

    Brings the store in .pressgraph/ up to date, then validates announcement by
    announcement in parallel; unchanged announcements come from the cache.
    """
    report = _validate(_load_synced(ctx, quiet), jobs, quiet)
    text = {"text": report.as_text, "json": report.as_json, "turtle": report.as_turtle}[fmt]()
    click.echo(text, nl=False)
    ctx.exit(EXIT_OK if report.conforms else EXIT_NONCONFORMING)


@cli.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the canned queries.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the canned query (repeatable).",
)
@click.option("--sparql", "sparql_text", default=None, help="Run this SPARQL text.")
@click.option(
    "--file",
    "sparql_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Run the SPARQL query in this file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(TABULAR_FORMATS + GRAPH_FORMATS),
    default=None,
    help="Output format (default: table on a terminal, else csv; turtle for graphs).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="Run on this SPARQL 1.1 endpoint instead of the local data (docs/remote-endpoints.md).",
)
@_remote_options
@click.pass_context
def query(
    ctx: click.Context,
    name: str | None,
    list_: bool,
    params: tuple[str, ...],
    sparql_text: str | None,
    sparql_file: Path | None,
    fmt: str | None,
    output: Path | None,
    endpoint: str | None,
    timeout: float | None,
    user: str | None,
    password: str | None,
    token: str | None,
) -> None:
    """Run a canned query NAME, or ad-hoc SPARQL with --sparql / --file.

    With --endpoint the query runs on a remote SPARQL endpoint, with the same
    parameters and output formats.
    """
    chosen = sum(
        x is not None and x is not False for x in (name, sparql_text, sparql_file, list_ or None)
    )
    if chosen != 1:
        raise click.UsageError("give exactly one of NAME, --list, --sparql or --file")
    settings: Settings = ctx.obj["settings"]
    remote: RemoteEndpoint | None = None
    if endpoint is not None:
        remote = RemoteEndpoint(
            endpoint,
            timeout=timeout or DEFAULT_TIMEOUT,
            auth=_auth(ctx, user, password, token),
            max_rows=settings.max_rows,
        )
    elif any(ctx.get_parameter_source(o) is ParameterSource.COMMANDLINE for o in _REMOTE_OPTIONS):
        raise click.UsageError("--timeout, --user, --password and --token need --endpoint")
    queries = _load(ctx).queries if remote is None else Catalogue.load(settings.root / "queries")
    if list_:
        for q in queries.values():
            args = " ".join(
                f"{p.name}=<{p.type}>" if p.required else f"[{p.name}=<{p.type}>]" for p in q.params
            )
            click.echo(f"{q.name:28} {q.summary}" + (f"\n{'':28}   params: {args}" if args else ""))
        return
    if name is not None:
        if remote is None:
            result = _load(ctx).query(name, _params(params))
        else:
            result = remote.canned(queries[name], _params(params))
    else:
        if params:
            raise click.UsageError("--param is for canned queries")
        if sparql_file is not None:
            text, source = sparql_file.read_text(encoding="utf-8"), str(sparql_file)
        else:
            text, source = str(sparql_text), "--sparql"
        if remote is None:
            result = _load(ctx).sparql(text, source=source)
        else:
            result = remote.query(text, source=source)
    if fmt is None:
        tty = output is None and sys.stdout.isatty()
        fmt = "turtle" if result.kind == "graph" else ("table" if tty else "csv")
    _write(render(result, fmt), output)
    if result.truncated:
        click.echo(f"warning: result cut at {settings.max_rows} rows", err=True)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    default="trig",
    show_default=True,
    help="jsonld: lossless, with the project's context; schemaorg: the schema.org view.",
)
@click.option("--graph", default=None, metavar="IRI", help="Export only this named graph.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.pass_context
def export(ctx: click.Context, fmt: str, graph: str | None, output: Path | None) -> None:
    """Export the dataset (deterministic: same input, same bytes)."""
    _write(_load(ctx).export(fmt, graph), output)


@cli.command()
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: dist/).",
)
@click.option(
    "--store-only", is_flag=True,
    help="Only bring the store up to date and validate; write no dumps.",
)
@_quiet
@_jobs
@click.pass_context
def build(
    ctx: click.Context, out_dir: Path | None, store_only: bool, quiet: bool, jobs: int | None
) -> None:
    """Load the store, validate, then write every dump, the contexts and a DCAT + VoID description.

    The store (.pressgraph/store) is updated incrementally and swapped in atomically.
    """
    from .build import build as run_build

    project = _load_synced(ctx, quiet)
    if store_only:
        report = _validate(project, jobs, quiet)
        counts = report.counts()
        click.echo(
            f"store: {project.settings.resolve(project.settings.store_path)}; "
            f"{counts['Violation']} violation(s), {counts['Warning']} warning(s)"
        )
        ctx.exit(EXIT_OK if report.conforms else EXIT_NONCONFORMING)
    try:
        report = _validate(project, jobs, quiet)
        result = run_build(project, out_dir, report=report)
    except ValidationFailed as exc:
        click.echo(exc.report.as_text(), err=True, nl=False)
        click.echo(f"error: {exc}", err=True)
        ctx.exit(EXIT_NONCONFORMING)
    counts = result.report.counts()
    click.echo(f"validated: conforms ({counts['Warning']} warning(s), {counts['Info']} info(s))")
    for d in result.distributions:
        click.echo(f"wrote {d.path}  {d.byte_size} bytes  sha256:{d.sha256[:16]}…")


@cli.command()
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="The SPARQL endpoint; the graph store URL is derived from it (docs/remote-endpoints.md).",
)
@click.option(
    "--graph-store",
    default=None,
    metavar="URL",
    help="The Graph Store Protocol URL (default: derived from --endpoint).",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; send nothing.")
@_remote_options
@click.pass_context
def publish(
    ctx: click.Context,
    endpoint: str | None,
    graph_store: str | None,
    dry_run: bool,
    timeout: float | None,
    user: str | None,
    password: str | None,
    token: str | None,
) -> None:
    """Validate, then upload every named graph with the Graph Store Protocol.

    Only graphs that differ from the remote copy are sent (PUT replaces a graph),
    so running it again is safe and finishes an interrupted run. Exit 0: every
    graph is on the store; 1: the data does not conform (nothing sent); 2: an
    error (the report says which graphs were done and which not).
    """
    from .publish import GraphStore, derive_graph_store
    from .publish import publish as run_publish

    if endpoint is None and graph_store is None:
        raise click.UsageError("give --endpoint or --graph-store")
    auth = _auth(ctx, user, password, token)
    if graph_store is None:
        # credentials in the endpoint URL go with the derived graph store URL
        endpoint, auth = split_credentials(str(endpoint), auth)
        graph_store = derive_graph_store(endpoint)
        derived = " (derived from --endpoint; --graph-store to change)"
    else:
        derived = ""
    store = GraphStore(graph_store, timeout=timeout or DEFAULT_TIMEOUT, auth=auth)
    project = _load(ctx)
    click.echo(f"graph store: {store.url}{derived}")
    try:
        report = run_publish(
            project, store, dry_run=dry_run, progress=lambda o: click.echo(o.describe(dry_run))
        )
    except ValidationFailed as exc:
        click.echo(exc.report.as_text(), err=True, nl=False)
        click.echo(f"error: {exc}", err=True)
        ctx.exit(EXIT_NONCONFORMING)
    click.echo(report.summary())


@cli.command()
@click.pass_context
def info(ctx: click.Context) -> None:
    """Triples, graphs, entities by type, shapes and queries."""
    i = _load(ctx).info()
    click.echo(f"triples:  {i.triples} ({i.data_triples} in data/, the rest ontology)")
    click.echo(f"graphs:   {i.graphs}")
    click.echo(f"shapes:   {i.shapes}")
    click.echo(f"queries:  {len(i.queries)} ({', '.join(i.queries)})")
    click.echo("entities by type:")
    for t, n in sorted(i.entities_by_type.items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {n:6}  {curie(t)}")


@cli.command()
@click.argument("announcement", type=click.Path(exists=True, file_okay=False, path_type=Path))
def spans(announcement: Path) -> None:
    """Recompute ANNOUNCEMENT/provenance.trig from its spans.toml and text."""
    from .spans import write_provenance

    click.echo(f"wrote {write_provenance(announcement)}")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--date",
    "published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Publication date YYYY-MM-DD: the anchor of 'today', 'on Friday', '10 December'.",
)
@click.option("--slug", default=None, help="Folder name (default: <date>-<headline words>).")
@click.option("--publisher", default=None, help="Publisher, a CURIE or IRI in data/ (orgs:osce).")
@click.option("--dry-run", is_flag=True, help="Print the draft (TriG) and a summary only.")
@click.option("--force", is_flag=True, help="Overwrite an earlier draft of this announcement.")
@click.pass_context
def ingest(
    ctx: click.Context,
    file: Path,
    published: object,
    slug: str | None,
    publisher: str | None,
    dry_run: bool,
    force: bool,
) -> None:
    """Draft data/announcements/<slug>/ from the plain text of an announcement in FILE.

    Headline on the first line, then the body. Exit 0: written (or unchanged) and
    conforming; 1: written but a person must add what is listed; 2: not an
    announcement, or the folder holds something else (nothing is written).
    """
    from datetime import datetime

    from .ingest import ingest as run_ingest
    from .ingest import read_input, write_draft
    from .ingest.report import summary

    root = ctx.obj["settings"].root
    day = published.date() if isinstance(published, datetime) else None
    result = run_ingest(read_input(file), root, published=day, slug=slug, publisher=publisher)
    if dry_run:
        for name, data in result.draft.files.items():
            if name.endswith(".trig"):
                click.echo(f"# ---------------------------------------------------- {name}")
                click.echo(data.decode("utf-8"), nl=False)
        click.echo(summary(result, dry_run=True), nl=False, err=True)
    else:
        written = write_draft(result, root, force=force)
        click.echo(summary(result, written=[str(p.relative_to(root)) for p in written]), nl=False)
    ctx.exit(EXIT_OK if result.conforms else EXIT_NONCONFORMING)


@cli.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1; PRESSGRAPH_HOST).")
@click.option("--port", type=int, default=None, help="Port (default 8080; PRESSGRAPH_PORT).")
@click.option(
    "--base-iri", "serve_base_iri", default=None, help="Base IRI the data was minted under."
)
@click.option(
    "--token-env",
    default=None,
    metavar="NAME",
    help="Enable writes with the token in this environment variable "
    "(default: PRESSGRAPH_WRITE_TOKEN; none: read-only).",
)
@click.option("--workers", type=int, default=None, help="Query worker processes (0: threads).")
@click.option("--get", "get_path", default=None, metavar="PATH", help="Answer one GET and exit.")
@click.option("--accept", default=None, help="Accept header for --get.")
@click.option("--headers", "show_headers", is_flag=True, help="With --get: print status, headers.")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    serve_base_iri: str | None,
    token_env: str | None,
    workers: int | None,
    get_path: str | None,
    accept: str | None,
    show_headers: bool,
) -> None:
    """Serve the graph over HTTP: pages, SPARQL, Graph Store, canned queries, dumps."""
    from .server.serve import answer_once, run_server, serve_settings

    settings = serve_settings(
        ctx.obj["settings"],
        host=host,
        port=port,
        base_iri=serve_base_iri,
        token_env=token_env,
        workers=workers,
    )
    project = _load(ctx)
    if get_path is None:
        run_server(project, settings)
        return
    status, headers, body = answer_once(project, settings, get_path, accept)
    if show_headers:
        click.echo(f"HTTP {status}")
        for key, value in headers:
            click.echo(f"{key}: {value}")
        click.echo("")
    _write(body, None)
    ctx.exit(EXIT_OK if status < 400 else EXIT_NONCONFORMING)


@cli.command()
@click.option("-n", "--announcements", type=click.IntRange(min=1), required=True,
              help="How many announcements to write.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--defects", type=click.IntRange(min=0), default=0, show_default=True,
              help="Known violations to inject (listed in defects.json).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the synthetic project (default: synth-N<n>-S<seed>).")
@click.option("--into-project", is_flag=True,
              help="Write into this project's data/ instead of a separate folder.")
@_quiet
@click.pass_context
def synth(
    ctx: click.Context,
    announcements: int,
    seed: int,
    defects: int,
    output: Path | None,
    into_project: bool,
    quiet: bool,
) -> None:
    """Write a synthetic corpus of announcements (deterministic for a seed) for scale tests."""
    from .progress import ProgressBar, progress_enabled
    from .synth import generate, write_corpus

    settings: Settings = ctx.obj["settings"]
    if into_project:
        if output is not None:
            raise click.UsageError("give either --output or --into-project")
        output = settings.root
    elif output is None:
        output = Path(f"synth-N{announcements}-S{seed}")
    corpus = generate(announcements, seed=seed, defects=defects)
    bar = ProgressBar("writing", enabled=progress_enabled(quiet))
    try:
        write_corpus(corpus, output, source=settings.root, into_project=into_project,
                     progress=bar)
    finally:
        bar.close()
    click.echo(
        f"wrote {announcements} announcement(s) and {len(corpus.defects)} defect(s) to {output}"
        f" (list: {output / 'defects.json'})"
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning pressgraph errors into messages and exit code 2."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        # without standalone mode, click returns the code given to ctx.exit() instead of raising
        code = cli.main(args=argv, prog_name="pressgraph", standalone_mode=False)
        if isinstance(code, int) and code != EXIT_OK:
            return code
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return EXIT_ERROR
    except PressgraphError as exc:
        if debug:
            raise
        click.echo(f"error: {exc}", err=True)
        return EXIT_ERROR
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True
        )
        return EXIT_ERROR
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
