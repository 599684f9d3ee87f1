"""Response tone: what an agent's reply does to an upset customer.

- :func:`score` — twelve boolean tone features per reply and a composite ``tone_score``;
- :func:`explain` — the words behind each feature, as spans of the reply;
- :func:`carp` — Bacal's Control, Acknowledge, Refocus, Problem-solve per sentence;
- :class:`TonePredictor` — a learned alternative to the rules (scikit-learn);
- :func:`definitions` and :func:`heldout_replies` — the features defined in each language,
  and replies written apart from the corpus and the lexicons, for testing;
- :mod:`complaintlab.tone.evaluate` — precision, recall and F1 per feature and language.
"""

from complaintlab.tone import evaluate
from complaintlab.tone.carp import STEPS, Carp, carp
from complaintlab.tone.labels import definitions, heldout_replies
from complaintlab.tone.model import TonePredictor
from complaintlab.tone.rules import FEATURES, Evidence
from complaintlab.tone.scoring import DEFAULT_WEIGHTS, explain, score, tone_band, tone_score

__all__ = ["DEFAULT_WEIGHTS", "FEATURES", "STEPS", "Carp", "Evidence", "TonePredictor", "carp",
           "definitions", "evaluate", "explain", "heldout_replies", "score", "tone_band",
           "tone_score"]  # fmt: skip
