"""Translate stage: source sentences → machine translations through a registered backend."""
