"""Comparing policy paths on common random numbers: statistics, the comparison, its formats, figures, report."""
