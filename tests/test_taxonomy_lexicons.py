"""The taxonomy cue lexicons: one per language, every section present and substantial."""

import pytest

from complaintlab._cues import load
from complaintlab.corpus import CATEGORIES, COMPLAINANT_TYPES, LANGS, SEVERITIES

SECTIONS = (
    [f"category.{c}" for c in CATEGORIES]
    + [f"type.{t}" for t in COMPLAINANT_TYPES]
    + [f"severity.{s}" for s in SEVERITIES]
    + ["remedy"]
)


@pytest.mark.parametrize("lang", LANGS)
def test_lexicon_has_every_section_with_enough_cues(lang):
    lexicon = load("taxonomy", lang)
    assert list(lexicon.sections) == SECTIONS
    for section in SECTIONS:
        cues = [c for c in lexicon.cues if c.section == section]
        assert len(cues) >= 25, (section, len(cues))
        assert all(1 <= len(c.words) <= 4 for c in cues), section


@pytest.mark.parametrize("lang", LANGS)
def test_lexicon_cues_fire_in_their_own_language(lang):
    lexicon = load("taxonomy", lang)
    # every cue, written out as text, is found by the matcher (nothing unmatchable)
    unmatched = [c.text for c in lexicon.cues
                 if not lexicon.match(c.text.replace("*", ""))]  # fmt: skip
    assert len(unmatched) <= 0.02 * len(lexicon.cues), unmatched[:10]
