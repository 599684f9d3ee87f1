"""Complaint taxonomy: what people complain about, who complains, and how severely.

- :func:`classify` — the one-call entry point, trained once on the bundled corpus;
- :class:`RuleClassifier` — explainable per-language cue lexicons;
- :class:`TaxonomyClassifier` — a scikit-learn estimator (n-grams + cues + style);
- :func:`definitions` — every label defined in each language, with examples;
- :func:`heldout_complaints` — a test set written apart from the corpus and the lexicons;
- :func:`annotation_agreement` — Cohen's kappa and Krippendorff's alpha (nltk);
- :mod:`complaintlab.taxonomy.evaluate` — cross-validation, leave-one-group-out, learning
  curves and confusion matrices.
"""

from complaintlab.taxonomy.agreement import annotation_agreement
from complaintlab.taxonomy.labels import definitions, heldout_complaints
from complaintlab.taxonomy.model import LABELS, TARGETS, TaxonomyClassifier, classify, default_model
from complaintlab.taxonomy.rules import SECTIONS, RuleClassifier

__all__ = ["LABELS", "SECTIONS", "TARGETS", "RuleClassifier", "TaxonomyClassifier",
           "annotation_agreement", "classify", "default_model", "definitions",
           "heldout_complaints"]  # fmt: skip
