"""npfterm: Chinese–English sentence alignment and terminology, offline.

The public API, in three lines::

    import npfterm
    alignment = npfterm.align("今天天气很好。我们去公园。", "The weather is nice today. We are going to the park.")
    print(alignment.pairs())

Names are imported on first use (PEP 562), so ``import npfterm`` and
``npfterm --help`` stay fast: jieba, numpy and the sentence encoder load only
when something is aligned.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from npfterm.version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from npfterm.api import Store, align, align_file, extract_terms
    from npfterm.errors import (
        ExportError,
        FormatError,
        InputError,
        LanguageMissingError,
        NotTextError,
        NpftermError,
        TermbaseError,
    )
    from npfterm.models import AlignedPair, Alignment, Bead, RunInfo, Sentence, TermPair
    from npfterm.text.boundaries import DocumentCountWarning

_API = {
    "align": "npfterm.api",
    "align_file": "npfterm.api",
    "extract_terms": "npfterm.api",
    "Store": "npfterm.api",
    "Alignment": "npfterm.models",
    "AlignedPair": "npfterm.models",
    "Bead": "npfterm.models",
    "RunInfo": "npfterm.models",
    "Sentence": "npfterm.models",
    "TermPair": "npfterm.models",
    "NpftermError": "npfterm.errors",
    "InputError": "npfterm.errors",
    "NotTextError": "npfterm.errors",
    "LanguageMissingError": "npfterm.errors",
    "FormatError": "npfterm.errors",
    "ExportError": "npfterm.errors",
    "TermbaseError": "npfterm.errors",
    "DocumentCountWarning": "npfterm.text.boundaries",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'npfterm' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
