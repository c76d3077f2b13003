"""Align stage: Japanese sentences (with their MT) ↔ English reference sentences."""
