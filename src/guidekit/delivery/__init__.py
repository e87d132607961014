"""Deliveries: reading vendor files into records, validating them against the guideline."""

from guidekit.delivery.read import RawRecord, detect_format, read_records

__all__ = ["RawRecord", "detect_format", "read_records"]
