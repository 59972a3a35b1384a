"""Per-unit validation results in SQLite, with what each unit read and its digests.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..validate import Finding
from .worker import UnitResult

#: bumped when what the cache holds changes meaning (old caches are then wiped)
_CACHE_VERSION = "5"


def _pack(digests: dict[str, int]) -> bytes:
    text = "\n".join(f"{v:x} {k}" for k, v in sorted(digests.items()))
    return zlib.compress(text.encode(), 1)


def _unpack(blob: bytes | None) -> dict[str, int]:
    if not blob:
        return {}
    out = {}
    for line in zlib.decompress(blob).decode().split("\n"):
        if line:
            value, _sp, key = line.partition(" ")
            out[key] = int(value, 16)
    return out


# --------------------------------------------------------------------------- the cache


class _Cache:
    """Per-unit results in SQLite, with the nodes each unit read (to know what a change hits).

    ``reads`` is the index from a node to the units that read it; each unit also keeps its
    own list (a blob), to drop its rows when it is validated again. ``sparql`` holds the
    SPARQL constraints' findings by (constraint, focus node), with the owning unit.
    """

    def __init__(self, path: Path, env: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = self.db.execute("SELECT value FROM meta WHERE key='env'").fetchone()
        if row is None or row[0] != env:
            self.db.executescript(
                "DROP TABLE IF EXISTS units; DROP TABLE IF EXISTS reads; "
                "DROP TABLE IF EXISTS sparql; DELETE FROM meta;"
                "CREATE TABLE units (id INTEGER PRIMARY KEY, name TEXT UNIQUE, hash TEXT, "
                "findings TEXT, digests BLOB, reads BLOB, owned BLOB);"
                "CREATE TABLE reads (node INTEGER, unit INTEGER, PRIMARY KEY (node, unit)) "
                "WITHOUT ROWID;"
                "CREATE TABLE sparql (constraint_iri TEXT, focus TEXT, unit TEXT, "
                "findings TEXT, PRIMARY KEY (constraint_iri, focus)) WITHOUT ROWID;"
                "CREATE INDEX sparql_unit ON sparql(unit);"
            )
            self.db.execute("INSERT INTO meta VALUES ('env', ?)", (env,))
            self.db.commit()

    def hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, hash FROM units"))

    def digests(self, name: str) -> dict[str, int] | None:
        row = self.db.execute("SELECT digests FROM units WHERE name=?", (name,)).fetchone()
        return None if row is None else _unpack(row[0])

    def hint(self, name: str) -> tuple[frozenset[str], frozenset[str]] | None:
        """The nodes ``name`` owned and mentioned when it was last validated."""
        row = self.db.execute("SELECT owned, digests FROM units WHERE name=?",
                              (name,)).fetchone()
        if row is None or row[0] is None:
            return None
        owned = zlib.decompress(row[0]).decode().split("\n") if row[0] else []
        mentioned = {k[2:] for k in _unpack(row[1]) if k.startswith(("s ", "m "))}
        return frozenset(filter(None, owned)), frozenset(mentioned)

    def readers_of(self, keys: Iterable[int]) -> set[str]:
        """The names of the units that read any of the nodes ``keys``."""
        ids = self._column_in("SELECT DISTINCT unit FROM reads WHERE node IN ({})", list(keys))
        return self._column_in("SELECT name FROM units WHERE id IN ({})", sorted(ids))

    def _column_in(self, sql: str, values: list[Any]) -> set[Any]:
        """The first column of ``sql`` over ``values``, 500 at a time (SQLite's limit on
        parameters is lower than the number of nodes a change can touch)."""
        out: set[Any] = set()
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            out.update(r[0] for r in self.db.execute(sql.format(",".join("?" * len(chunk))), chunk))
        return out

    def findings(self) -> list[Finding]:
        out = []
        for (text,) in self.db.execute("SELECT findings FROM units"):
            out.extend(Finding(*f) for f in json.loads(text))
        for (text,) in self.db.execute("SELECT findings FROM sparql"):
            out.extend(Finding(*f) for f in json.loads(text))
        return out

    def _forget_reads(self, name: str) -> int | None:
        row = self.db.execute("SELECT id, reads FROM units WHERE name=?", (name,)).fetchone()
        if row is None:
            return None
        unit, blob = row
        self.db.executemany("DELETE FROM reads WHERE node=? AND unit=?",
                            ((n, unit) for n in _unpack_keys(blob)))
        return int(unit)

    def store(self, results: list[UnitResult], hashes: dict[str, str]) -> None:
        for r in results:
            values = (hashes[r.name], _findings_json(r.findings), _pack(r.digests),
                      _pack_keys(r.reads), zlib.compress("\n".join(r.owned).encode(), 1))
            unit = self._forget_reads(r.name)
            if unit is None:
                unit = self.db.execute(
                    "INSERT INTO units (name, hash, findings, digests, reads, owned) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (r.name, *values)).lastrowid
            else:
                self.db.execute("UPDATE units SET hash=?, findings=?, digests=?, reads=?, "
                                "owned=? WHERE id=?", (*values, unit))
            self.db.executemany("INSERT OR IGNORE INTO reads VALUES (?, ?)",
                                ((n, unit) for n in r.reads))
            self.db.execute("DELETE FROM sparql WHERE unit=?", (r.name,))
            self.set_sparql({k: (r.name, v) for k, v in r.sparql.items()}, commit=False)
        self.db.commit()

    def set_sparql(self, rows: dict[tuple[str, str], tuple[str, list[Finding]]],
                   *, commit: bool = True) -> None:
        """Replace the findings of (constraint, focus) pairs (no findings: no row)."""
        self.db.executemany("DELETE FROM sparql WHERE constraint_iri=? AND focus=?", rows)
        self.db.executemany(
            "INSERT INTO sparql VALUES (?, ?, ?, ?)",
            ((c, f, unit, _findings_json(found))
             for (c, f), (unit, found) in rows.items() if found),
        )
        if commit:
            self.db.commit()

    def invalidate(self, names: Iterable[str]) -> None:
        """Forget the content hashes of ``names``: they count as changed until stored."""
        self.db.executemany("UPDATE units SET hash='' WHERE name=?", ((n,) for n in names))
        self.db.commit()

    def drop(self, names: Iterable[str]) -> None:
        for name in names:
            if self._forget_reads(name) is not None:
                self.db.execute("DELETE FROM units WHERE name=?", (name,))
                self.db.execute("DELETE FROM sparql WHERE unit=?", (name,))
        self.db.commit()


def _pack_keys(keys: list[int]) -> bytes:
    return struct.pack(f">{len(keys)}q", *keys)


def _unpack_keys(blob: bytes | None) -> list[int]:
    return list(struct.unpack(f">{len(blob) // 8}q", blob)) if blob else []


def _findings_json(findings: list[Finding]) -> str:
    return json.dumps([_finding_row(f) for f in findings], ensure_ascii=False)


def _finding_row(f: Finding) -> list[Any]:
    return [f.severity, f.focus, f.path, f.value, f.message, f.shape, f.component]
