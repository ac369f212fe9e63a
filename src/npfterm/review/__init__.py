"""Review and correct an alignment: edits on beads (``edits``), the local page's server (``server``)."""
