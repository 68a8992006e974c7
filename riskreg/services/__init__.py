"""Use cases: validate, one transaction per call, return records, raise domain errors."""
