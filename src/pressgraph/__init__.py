"""pressgraph: announcements as a validated, queryable, traceable knowledge graph."""

__version__ = "0.1.0"
