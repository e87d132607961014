"""Generators: artifacts built from the IR (JSON Schema, pydantic models, ...)."""
