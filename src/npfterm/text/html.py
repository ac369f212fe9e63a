"""Web pages (.html) → the main text, without navigation, headers, footers and other boilerplate.

Extraction is trafilatura's (maintained, offline: no request is ever made),
which also finds the page's encoding (``<meta charset>``, GBK or Big5
pages); tables are kept, comments are not.  Paragraphs come back one per
line, separated by blank lines.
"""

from __future__ import annotations

import logging

from npfterm.errors import InputError


def html_text(data: bytes, name: str) -> str:
    """The main text of an HTML page; ``InputError`` when it has none."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its notes on odd markup are not ours to print
    try:
        text = trafilatura.extract(
            data, include_comments=False, include_tables=True, include_links=False, include_images=False,
            favor_recall=True, deduplicate=False, with_metadata=False,
        )
    except Exception as exc:  # lxml and trafilatura raise various errors on broken markup
        raise InputError(f"{name} could not be read as HTML ({type(exc).__name__}: {exc})") from None
    if not text or not text.strip():
        raise InputError(f"{name} has no main text (only navigation or markup); save the article's text instead")
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
