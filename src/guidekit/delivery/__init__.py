"""Deliveries: reading vendor files into records, validating them against the guideline.

``validate(guideline, delivery)`` checks a whole delivery (files or records) and returns a
:class:`Report`; :class:`RecordValidator` checks single records inside a data pipeline.
"""

from guidekit.delivery.read import RawRecord, detect_format, read_records
from guidekit.delivery.report import CodeGroup, FileSummary, Report
from guidekit.delivery.stream import validate
from guidekit.delivery.validator import RecordValidator

__all__ = [
    "CodeGroup",
    "FileSummary",
    "RawRecord",
    "RecordValidator",
    "Report",
    "detect_format",
    "read_records",
    "validate",
]
