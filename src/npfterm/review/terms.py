"""Term pairs of reviewed documents, recomputed in the background once the edits settle.

Extracting a document's terms takes about a second for a 300-sentence chapter
(and a few more the first time, loading the dictionary and jieba), far too
long to wait for on every key.  So an edit saves the beads at once and marks
the document's terms stale; this worker recomputes them when no edit has
come for :data:`SETTLE` seconds, and writes them only if the document has not
been saved again meanwhile (``Store.replace_terms`` checks the revision).
Documents left stale by a stopped server are recomputed when the next starts.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from npfterm.store.db import Store

SETTLE = 0.8  # seconds without an edit before terms are recomputed


def recompute(db: str | Path | None, doc_id: int) -> bool:
    """Extract one document's terms from its stored beads and store them; False if it changed meanwhile."""
    from npfterm.terms.extract import extract_terms

    with Store.open(db, create=False) as store:
        doc = store.load_document(doc_id)
        revision = int(doc.settings.get("revision", 0))  # type: ignore[call-overload]
        terms = extract_terms(doc.alignment(), stats=store)
        return store.replace_terms(doc_id, terms, revision)


class TermWorker:
    """One background thread that recomputes the term pairs of documents edited in the review page."""

    def __init__(self, db: str | Path | None, settle: float = SETTLE) -> None:
        self.db = db
        self.settle = settle
        self._due: dict[int, float] = {}  # document → when to recompute
        self._cond = threading.Condition()
        self._busy = False
        self._stop = False
        self.errors: list[str] = []
        self._thread = threading.Thread(target=self._run, name="npfterm-terms", daemon=True)
        self._thread.start()

    def request(self, doc_id: int, delay: float | None = None) -> None:
        """Recompute ``doc_id``'s terms after the edits settle (each request pushes the time back)."""
        with self._cond:
            self._due[doc_id] = time.monotonic() + (self.settle if delay is None else delay)
            self._cond.notify_all()

    def pending(self) -> bool:
        with self._cond:
            return bool(self._due) or self._busy

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until nothing is pending (recomputing what is due now); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            for doc_id in self._due:
                self._due[doc_id] = 0.0
            self._cond.notify_all()
            while self._due or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self, timeout: float = 60.0) -> None:
        """Finish what is pending, then stop the thread."""
        self.wait(timeout)
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stop:
                    now = time.monotonic()
                    ready = [d for d, when in self._due.items() if when <= now]
                    if ready:
                        doc_id = ready[0]
                        del self._due[doc_id]
                        self._busy = True
                        break
                    self._cond.wait(min(self._due.values()) - now if self._due else None)
                else:
                    return
            try:
                if not recompute(self.db, doc_id):
                    self.request(doc_id)  # saved again while we extracted: do it again later
            except Exception as exc:  # the page must go on; the message is shown by the session
                self.errors.append(f"term pairs of document {doc_id} not recomputed: {exc}")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
