"""The domain core: pure Python, no UI, database or NLP imports."""
