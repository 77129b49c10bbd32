"""Persistence: engine and sessions (db), tables (orm), queries returning records (repositories)."""
