"""Export stage: bitext.tsv (the contract), JSONL, a summary; more formats register here."""
