"""Reproducible training and evaluation of the NorNE-based spaCy NER model (spaCy imported lazily)."""
