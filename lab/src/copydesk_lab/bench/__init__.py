"""Benchmarks: datasets, metrics and peers, run side by side (`copydesk bench`)."""
