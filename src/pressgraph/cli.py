"""The ``pressgraph`` command line: a thin adapter over :class:`pressgraph.project.Project`.

Exit codes (all commands): 0 success (``validate``: conforms), 1 the data does
not conform (``validate``, ``build``), 2 an error (bad input, bad query,
unknown name); the message says what and where. ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import PressgraphError, ValidationFailed
from .project import EXPORT_FORMATS, Project
from .results import GRAPH_FORMATS, TABULAR_FORMATS, render
from .settings import Settings

EXIT_OK, EXIT_NONCONFORMING, EXIT_ERROR = 0, 1, 2


def _load(ctx: click.Context) -> Project:
    if "project" not in ctx.obj:
        ctx.obj["project"] = Project.load(settings=ctx.obj["settings"])
    return ctx.obj["project"]


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
@click.pass_context
def validate(ctx: click.Context, fmt: str) -> None:
    """Validate data/ against shapes/ (with ontology/). Exit 0 conforms, 1 does not, 2 error."""
    report = _load(ctx).validate()
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
) -> None:
    """Run a canned query NAME, or ad-hoc SPARQL with --sparql / --file."""
    project = _load(ctx)
    chosen = sum(
        x is not None and x is not False for x in (name, sparql_text, sparql_file, list_ or None)
    )
    if chosen != 1:
        raise click.UsageError("give exactly one of NAME, --list, --sparql or --file")
    if list_:
        for q in project.queries.values():
            args = " ".join(
                f"{p.name}=<{p.type}>" if p.required else f"[{p.name}=<{p.type}>]" for p in q.params
            )
            click.echo(f"{q.name:28} {q.summary}" + (f"\n{'':28}   params: {args}" if args else ""))
        return
    if name is not None:
        result = project.query(name, _params(params))
    else:
        if params:
            raise click.UsageError("--param is for canned queries")
        if sparql_file is not None:
            text, source = sparql_file.read_text(encoding="utf-8"), str(sparql_file)
        else:
            text, source = str(sparql_text), "--sparql"
        result = project.sparql(text, source=source)
    if fmt is None:
        tty = output is None and sys.stdout.isatty()
        fmt = "turtle" if result.kind == "graph" else ("table" if tty else "csv")
    _write(render(result, fmt), output)
    if result.truncated:
        click.echo(f"warning: result cut at {project.settings.max_rows} rows", err=True)


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
@click.pass_context
def build(ctx: click.Context, out_dir: Path | None) -> None:
    """Validate, then write every dump, the contexts and a DCAT + VoID description."""
    from .build import build as run_build

    project = _load(ctx)
    try:
        result = run_build(project, out_dir)
    except ValidationFailed as exc:
        click.echo(exc.report.as_text(), err=True, nl=False)
        click.echo(f"error: {exc}", err=True)
        ctx.exit(EXIT_NONCONFORMING)
    counts = result.report.counts()
    click.echo(f"validated: conforms ({counts['Warning']} warning(s), {counts['Info']} info(s))")
    for d in result.distributions:
        click.echo(f"wrote {d.path}  {d.byte_size} bytes  sha256:{d.sha256[:16]}…")


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
        click.echo(f"  {n:6}  {t}")


@cli.command()
@click.argument("announcement", type=click.Path(exists=True, file_okay=False, path_type=Path))
def spans(announcement: Path) -> None:
    """Recompute ANNOUNCEMENT/provenance.trig from its spans.toml and text."""
    from .spans import write_provenance

    click.echo(f"wrote {write_provenance(announcement)}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning pressgraph errors into messages and exit code 2."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="pressgraph", standalone_mode=False)
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
