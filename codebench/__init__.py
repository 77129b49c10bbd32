"""codebench: a terminal workbench for coding Norwegian interview transcripts."""

__version__ = "0.1.0"
