"""jaen-pipeline: Japanese→English translation, alignment and scoring."""

__version__ = "0.1.0"
