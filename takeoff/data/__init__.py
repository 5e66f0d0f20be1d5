"""Bundled real data sets (CSV + PROVENANCE), validating loaders and shipped posteriors."""
