"""Segment stage: clean a scraped page, route languages, split Japanese and English sentences."""
