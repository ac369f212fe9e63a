"""A review session: load a stored document, apply edits, undo and redo — every save one store transaction.

The server is a thin layer over this class; it holds what a browser tab
cannot: the undo history and the store path.  Each edit saves the document's
sentences and beads at once (:meth:`npfterm.store.db.Store.save_review`);
its term pairs are recomputed from the corrected beads in the background
once the edits settle (:mod:`npfterm.review.terms`), and before the session
closes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

from npfterm.errors import EditError
from npfterm.review import edits
from npfterm.review.edits import Draft
from npfterm.review.terms import TermWorker
from npfterm.store.db import Store, StoredDocument

IN_REVIEW = "in review"
REVIEWED = "reviewed"


@dataclass
class _History:
    undo: list[tuple[Draft, str]] = field(default_factory=list)
    redo: list[tuple[Draft, str]] = field(default_factory=list)


def _status(settings: Mapping[str, object]) -> str:
    review = settings.get("review")
    if isinstance(review, dict):
        return str(review.get("status", ""))
    return str(review or "")  # an imported sheet says "reviewed"


class ReviewSession:
    """Edits on the documents of one store, with undo and redo per document."""

    def __init__(self, db: str | Path | None, docs: tuple[int, ...] = (), settle: float | None = None) -> None:
        self.db = db
        self.docs = docs  # the documents offered; empty means all
        self._history: dict[int, _History] = {}
        self._lock = threading.Lock()
        with self._open() as store:
            stale = store.stale_term_documents()  # left by a session that was stopped
        self.terms = TermWorker(db) if settle is None else TermWorker(db, settle)
        for doc_id in stale:
            self.terms.request(doc_id, delay=0.0)

    def close(self, timeout: float = 120.0) -> None:
        """Recompute what is pending, then stop the term worker."""
        self.terms.close(timeout)

    def _open(self) -> Store:
        return Store.open(self.db, create=False)

    def _allowed(self, doc_id: int) -> None:
        if self.docs and doc_id not in self.docs:
            raise EditError(f"document {doc_id} is not open for review here")

    # -- reading --

    def documents(self) -> list[dict[str, object]]:
        """The documents on offer with their review status and how many beads are to check."""
        out: list[dict[str, object]] = []
        with self._open() as store:
            infos, settings = store.documents(), store.document_settings()
            to_check = store.unreviewed_below(edits.CHECK_BELOW)
        for info in infos:
            if self.docs and info.id not in self.docs:
                continue
            out.append({
                "id": info.id, "name": info.name, "zh": info.zh_count, "en": info.en_count, "beads": info.bead_count,
                "to_check": to_check.get(info.id, 0), "status": _status(settings.get(info.id, {})),
            })
        return out

    def state(self, doc_id: int) -> dict[str, object]:
        """Everything the page shows of one document (text goes out as data, never as markup)."""
        self._allowed(doc_id)
        with self._open() as store:
            doc = store.load_document(doc_id)
        return self._state(doc_id, doc.info.name, Draft(doc.zh, doc.en, doc.beads), _status(doc.settings))

    def _state(self, doc_id: int, name: str, draft: Draft, status: str) -> dict[str, object]:
        history = self._history.get(doc_id, _History())
        return {
            "id": doc_id,
            "name": name,
            "status": status,
            "zh": [s.text for s in draft.zh],
            "en": [s.text for s in draft.en],
            "beads": [
                {"zh": list(b.zh), "en": list(b.en), "score": round(b.score, 4), "evidence": b.evidence}
                for b in draft.beads
            ],
            "to_check": edits.to_check(draft),
            "undo": len(history.undo),
            "redo": len(history.redo),
            "notes": self._notes(),
        }

    def _notes(self) -> list[str]:
        """Problems the background term worker met since the last answer (shown on the page)."""
        notes, self.terms.errors[:] = list(self.terms.errors), []
        return notes

    # -- writing --

    def edit(self, doc_id: int, op: Mapping[str, object]) -> dict[str, object]:
        """Apply one edit (see :func:`npfterm.review.edits.apply`) and save the document."""
        self._allowed(doc_id)
        with self._lock, self._open() as store:
            doc = store.load_document(doc_id)
            before = Draft(doc.zh, doc.en, doc.beads)
            after = edits.apply(before, op)
            status = REVIEWED if op.get("op") == "confirm" and op.get("bead") is None else IN_REVIEW
            self._save(store, doc, after, status)
            history = self._history.setdefault(doc_id, _History())
            history.undo.append((before, _status(doc.settings)))
            history.redo.clear()
            return self._state(doc_id, doc.info.name, after, status)

    def mark_reviewed(self, doc_id: int) -> dict[str, object]:
        """Every bead confirmed as it is, and the document marked reviewed."""
        return self.edit(doc_id, {"op": "confirm"})

    def undo(self, doc_id: int) -> dict[str, object]:
        return self._step(doc_id, back=True)

    def redo(self, doc_id: int) -> dict[str, object]:
        return self._step(doc_id, back=False)

    def _step(self, doc_id: int, back: bool) -> dict[str, object]:
        self._allowed(doc_id)
        with self._lock, self._open() as store:
            history = self._history.setdefault(doc_id, _History())
            source, target = (history.undo, history.redo) if back else (history.redo, history.undo)
            if not source:
                raise EditError(f"nothing to {'undo' if back else 'redo'}")
            doc = store.load_document(doc_id)
            draft, status = source[-1]
            self._save(store, doc, draft, status)
            source.pop()
            target.append((Draft(doc.zh, doc.en, doc.beads), _status(doc.settings)))
            return self._state(doc_id, doc.info.name, draft, status)

    def _save(self, store: Store, doc: StoredDocument, draft: Draft, status: str) -> None:
        """Sentences and beads now, in one transaction; the term pairs once the edits settle."""
        alignment = draft.to_alignment(doc.alignment().info, doc.info.name)
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        store.save_review(doc.info.id, alignment, None, review={"status": status, "updated": now})
        self.terms.request(doc.info.id)
