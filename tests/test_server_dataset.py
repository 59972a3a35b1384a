"""The live dataset: source fingerprints, snapshots, commits, ETags and the response cache."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from pressgraph.project import Project
from pressgraph.server.dataset import LiveDataset, source_fingerprint

QUAD = ox.Quad(
    ox.NamedNode("http://example.org/s"),
    ox.NamedNode("http://example.org/p"),
    ox.Literal("o"),
    ox.NamedNode("http://example.org/g"),
)


def test_fingerprint_follows_the_files(server_root: Path) -> None:
    first = source_fingerprint(server_root)
    assert first == source_fingerprint(server_root)
    (server_root / "data" / "reference" / "reference.trig").write_text("# changed\n")
    assert source_fingerprint(server_root) != first
    (server_root / "queries" / "x.rq").write_text("ASK {}")  # queries are not data
    assert len(source_fingerprint(server_root)) == 64


def test_read_only_uses_the_project_store(server_project: Project) -> None:
    dataset = LiveDataset.open(server_project, server_project.settings)
    assert dataset.store is server_project.store
    assert dataset.journal is None


def test_commit_bumps_generation_changes_etags_and_clears_the_cache(
    server_project: Project,
) -> None:
    dataset = LiveDataset(server_project, ox.Store())
    etag = dataset.etag("x")
    dataset.remember("key", b"value")
    assert dataset.recall("key") == b"value"
    dataset.commit([], [QUAD], "test")
    assert dataset.generation == 1
    assert dataset.etag("x") != etag
    assert dataset.recall("key") is None
    assert QUAD in set(dataset.store)
    snapshot = list(ox.parse(dataset.snapshot(), format=ox.RdfFormat.N_QUADS))
    assert snapshot == [QUAD]
    dataset.commit([], [], "nothing")
    assert dataset.generation == 1


def test_cache_is_bounded(server_project: Project) -> None:
    dataset = LiveDataset(server_project, ox.Store())
    dataset.response_cache = 2
    for i in range(3):
        dataset.remember(i, i)
    assert dataset.recall(0) is None and dataset.recall(2) == 2
    dataset.response_cache = 0
    dataset.remember("no", 1)
    assert dataset.recall("no") is None
