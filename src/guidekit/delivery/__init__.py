"""Deliveries: reading vendor files into records, validating them against the guideline.

``validate(guideline, delivery)`` checks a whole delivery (files or records) and returns a
:class:`Report`; :class:`RecordValidator` checks single records inside a data pipeline; a :class:`Plan`
validates partitions anywhere (processes, Spark, Dask, Ray) into :class:`Partial` results
that :func:`merge_partials` turns into the report of the whole delivery.
"""

from guidekit.delivery.partial import Partial, Plan, merge_partials
from guidekit.delivery.read import RawRecord, detect_format, read_records
from guidekit.delivery.report import CodeGroup, FileSummary, Report
from guidekit.delivery.stream import validate
from guidekit.delivery.validator import RecordValidator

__all__ = [
    "CodeGroup",
    "FileSummary",
    "Partial",
    "Plan",
    "RawRecord",
    "RecordValidator",
    "Report",
    "detect_format",
    "merge_partials",
    "read_records",
    "validate",
]
