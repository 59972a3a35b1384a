
"""``pressgraph ingest`` end to end, in-process, on temporary copies of the project:
the seed drafts without a Violation, a second run changes nothing, --dry-run writes
nothing, texts that are not announcements are refused, curated folders are safe."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from pressgraph.cli import main
from pressgraph.ingest import IngestError, ingest, write_draft
from pressgraph.ingest.draft import reference_file

ROOT = Path(__file__).resolve().parents[1]
SLUG = "2016-10-06-osce-anti-trafficking-seminars"
SEED = ROOT / "data" / "announcements" / SLUG / "announcement.txt"
DEV = ROOT / "tests" / "ingest" / "dev"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's knowledge (data, ontology, shapes, queries)."""
    root = tmp_path / "project"
    for name in ("data", "ontology", "shapes", "queries"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_the_seed_drafts_into_a_copy_and_the_project_still_conforms(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "-C", str(project), "ingest", str(SEED), "--slug", "seed-draft",
                          "--date", "2016-10-06")
    assert code == 0, out
    assert "conforms to the shapes (no violation)" in out
    folder = project / "data" / "announcements" / "seed-draft"
    assert sorted(p.name for p in folder.iterdir()) == [
        "announcement.txt", "claims.trig", "provenance.trig", "spans.toml"
    ]
    assert (folder / "announcement.txt").read_bytes() == SEED.read_bytes()
    assert not (project / reference_file("seed-draft")).exists(), "every place is known"
    code, out, _err = run(capsys, "-C", str(project), "validate", "--format", "text")
    assert code == 0, out


def test_the_draft_regenerates_its_own_provenance(project: Path) -> None:
    """provenance.trig is exactly what `pressgraph spans` makes from spans.toml."""
    from pressgraph.spans import render_provenance

    result = ingest(SEED.read_text(encoding="utf-8"), project, slug="seed-draft", validate=False)
    write_draft(result, project)
    folder = project / "data" / "announcements" / "seed-draft"
    assert render_provenance(folder) == (folder / "provenance.trig").read_text(encoding="utf-8")


def test_ingesting_twice_changes_nothing(project: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    text = DEV / "07-kazakhstan-cybercrime-series.txt"
    args = ("-C", str(project), "ingest", str(text), "--date", "2021-03-05")
    assert run(capsys, *args)[0] == 0
    first = files_under(project / "data")
    code, out, _err = run(capsys, *args)
    assert code == 0 and "unchanged" in out
    assert files_under(project / "data") == first
    # and in memory: the same bytes, every time
    again = ingest(text.read_text(encoding="utf-8"), project, published=date(2021, 3, 5),
                   validate=False)
    slug = again.draft.slug
    assert again.draft.files[f"data/announcements/{slug}/claims.trig"] == first[
        f"announcements/{slug}/claims.trig"
    ]
    assert (project / reference_file(slug)).is_file(), "Oskemen and Kzyl-Orda are new places"


def test_dry_run_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files_under(project)
    code, out, err = run(capsys, "-C", str(project), "ingest", "--dry-run",
                         str(DEV / "05-moldova-hate-crime-seminars.txt"), "--date", "2019-12-13")
    assert code == 0
    assert "graph:2019-12-13-osce-mission-moldova-holds-seminars-s02 {" in out
    assert "dry run: nothing was written" in err and "found:" in err
    assert files_under(project) == before


def test_what_a_person_must_add_is_said_and_the_exit_code_is_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Dushanbe course: the text names no place for it."""
    code, out, _err = run(capsys, "-C", str(project), "ingest",
                          str(DEV / "01-dushanbe-judges-training.txt"), "--date", "2019-04-18")
    assert code == 1
    assert "does NOT conform yet" in out and "must say where it took place" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the text is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"\xff\xfe\xfa broken", "not UTF-8"),
        (b"One single line about a seminar held by the OSCE", "only one line"),
        (
            b"Pancakes\nMix 200 g of flour with two eggs and 300 ml of milk. Add a pinch of "
            b"salt and let the batter rest for 30 minutes. Heat a pan, pour a ladle of batter "
            b"and cook each side for one minute until golden.\n",
            "no organisation and no event",
        ),
    ],
)
def test_not_an_announcement(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes,
    message: str,
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    before = files_under(project)
    code, _out, err = run(capsys, "-C", str(project), "ingest", str(path))
    assert code == 2
    assert "not an announcement" in err and message in err
    assert files_under(project) == before


def test_a_curated_announcement_is_never_overwritten(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files_under(project)
    code, _out, err = run(capsys, "-C", str(project), "ingest", str(SEED), "--slug", SLUG,
                          "--force")
    assert code == 2 and "not written by ingest" in err
    assert files_under(project) == before


def test_an_edited_draft_needs_force(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("-C", str(project), "ingest", str(SEED), "--slug", "seed-draft")
    assert run(capsys, *args)[0] == 0
    spans = project / "data" / "announcements" / "seed-draft" / "spans.toml"
    spans.write_text(spans.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    code, _out, err = run(capsys, *args)
    assert code == 2 and "--force" in err
    assert run(capsys, *args, "--force")[0] == 0
    assert "# reviewed" not in spans.read_text(encoding="utf-8")


def test_publisher_option(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = ingest(SEED.read_text(encoding="utf-8"), project, slug="x", publisher="orgs:osce",
                    validate=False)
    assert str(result.draft.publisher).endswith("/org/osce")
    assert not any("publisher guessed" in note for _iri, note in result.draft.reviews)
    with pytest.raises(IngestError, match="no such organisation"):
        ingest(SEED.read_text(encoding="utf-8"), project, publisher="orgs:nobody")
    code, _out, err = run(capsys, "-C", str(project), "ingest", str(SEED), "--date", "2016-13-40")
    assert code == 2 and "--date" in err


def test_known_entities_keep_their_iris(project: Path) -> None:
    """The US Embassy, the Programme Office (as "in Nur-Sultan") and known cities."""
    text = (DEV / "07-kazakhstan-cybercrime-series.txt").read_text(encoding="utf-8")
    draft = ingest(text, project, published=date(2021, 3, 5), validate=False).draft
    claims = draft.files[f"data/announcements/{draft.slug}/claims.trig"].decode()
    for curie in ("orgs:us-embassy-kazakhstan", "orgs:osce-programme-office-astana",
                  "place:astana", "place:karaganda", "place:ust-kamenogorsk"):
        assert curie in claims, curie
