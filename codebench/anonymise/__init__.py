"""Anonymisation of Norwegian transcripts: NER model, rules, linking and pseudonyms."""
