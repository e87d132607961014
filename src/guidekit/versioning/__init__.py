"""Versions and diffs: the semantic diff of two guidelines, the semver bump it requires, the
history of a guideline across its versions, and the migration of old deliveries.

>>> from guidekit.versioning import diff_guidelines          # doctest: +SKIP
>>> d = diff_guidelines(guidekit.load("old"), guidekit.load("new"))   # doctest: +SKIP
>>> d.required                                                # doctest: +SKIP
<Impact.MAJOR: 'major'>
"""

from __future__ import annotations

from guidekit.versioning.diff import diff_guidelines
from guidekit.versioning.model import Change, GuidelineDiff, Impact, LabelFate, SideInfo

__all__ = ["Change", "GuidelineDiff", "Impact", "LabelFate", "SideInfo", "diff_guidelines"]
