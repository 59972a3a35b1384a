"""Ingest: draft the knowledge graph of a new announcement from its plain text.

Rule-based and offline: sentences and quotations (:mod:`.text`), dates
(:mod:`.dates`), hedged numbers (:mod:`.numbers`), places from GeoNames
(:mod:`.gazetteer`), what ``data/`` already knows (:mod:`.known`), organisations and
people (:mod:`.entities`), events and topics (:mod:`.events`), all tied together by
:mod:`.extract` (with :mod:`.roles` and :mod:`.figures`) into the facts of
:mod:`.model`; written as claim graphs with spans by :mod:`.draft` (IRIs by
:mod:`.slugs`), run by :mod:`.pipeline`, summarised by :mod:`.report`;
:mod:`.evaluate` scores drafts against curated graphs and gold files. See
docs/decisions/0007-ingest.md.
"""

from __future__ import annotations

from .pipeline import IngestError, IngestResult, ingest, read_input, write_draft

__all__ = ["IngestError", "IngestResult", "ingest", "read_input", "write_draft"]
