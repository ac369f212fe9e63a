"""The store: one SQLite file of documents, translation units and term pairs, and how documents enter it."""
