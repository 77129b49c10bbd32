"""The Textual workbench: project view, transcript coding, retrieval."""
