"""Pure domain: scales, scoring, records and errors. Imports no third-party package."""
