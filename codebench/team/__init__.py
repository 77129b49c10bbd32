"""Team work: merging coders' projects and adjudicating disagreements (maths in domain/agreement)."""
