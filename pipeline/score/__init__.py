"""Score stage: sacrebleu metrics against the reference snippets, per row and per corpus."""
