"""The guideline format: its models (``format``), the reference generator (``reference``) and
the one version module (``version``: semantic versions, parsed, ordered and bumped)."""
