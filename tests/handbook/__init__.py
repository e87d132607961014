"""Tests of the annotator handbook."""
