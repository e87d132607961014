"""Stage 3: checks. Structure (against the format), meaning (references, examples), lint."""
