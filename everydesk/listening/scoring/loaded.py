"""The models, loaded once per process on first use and shared by every thread.

Nothing here runs at import: a web process that never scores never reads the
15 MB of weights. The first caller takes the lock and loads; callers that arrive
meanwhile wait for it instead of loading a second copy.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from model2vec import StaticModel

    from everydesk.listening.scoring.heads import Heads

WEIGHTS = Path(__file__).resolve().parent / "weights"


@dataclass(frozen=True, slots=True)
class Models:
    static: StaticModel
    heads: Heads
    languages: Any  # py3langid's LanguageIdentifier


_lock = threading.Lock()
_models: Models | None = None


def models() -> Models:
    global _models
    if _models is None:
        with _lock:
            if _models is None:
                _models = _load()
    return _models


def _load() -> Models:
    from everydesk.listening.scoring.embedding import load_static_model
    from everydesk.listening.scoring.heads import load_heads
    from everydesk.listening.scoring.language import load_identifier

    return Models(
        static=load_static_model(WEIGHTS / "static"),
        heads=load_heads(WEIGHTS / "heads.npz"),
        languages=load_identifier(),
    )
