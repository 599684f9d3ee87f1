"""Response tone: what an agent's reply does to an upset customer.

- :func:`score` — twelve boolean tone features per reply and a composite ``tone_score``;
- :func:`explain` — the words behind each feature, as spans of the reply;
- :func:`carp` — Bacal's Control, Acknowledge, Refocus, Problem-solve per sentence;
- :class:`TonePredictor` — a learned alternative to the rules (scikit-learn);
- :func:`definitions` and :func:`heldout_replies` — the features defined in each language,
  and replies written apart from the corpus and the lexicons, for testing;
- :mod:`complaintlab.tone.evaluate` — precision, recall and F1 per feature and language.
"""

from complaintlab.tone.carp import STEPS, Carp, carp
from complaintlab.tone.labels import definitions, heldout_replies
from complaintlab.tone.rules import FEATURES, Evidence
from complaintlab.tone.scoring import DEFAULT_WEIGHTS, explain, score, tone_band, tone_score

__all__ = ["DEFAULT_WEIGHTS", "FEATURES", "STEPS", "Carp", "Evidence", "TonePredictor", "carp",
           "definitions", "evaluate", "explain", "heldout_replies", "score", "tone_band",
           "tone_score"]  # fmt: skip


def __getattr__(name: str):
    # scikit-learn is imported only when the learned parts are asked for: scoring a file
    # of replies does not need it (and stays a hundred megabytes smaller)
    if name == "TonePredictor":
        from complaintlab.tone.model import TonePredictor

        return TonePredictor
    if name == "evaluate":
        import importlib

        return importlib.import_module("complaintlab.tone.evaluate")
    raise AttributeError(f"module 'complaintlab.tone' has no attribute {name!r}")
