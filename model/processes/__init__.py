"""Pure household processes: arrays in, arrays out, no Mesa and no randomness of their own.

Random numbers are passed in as uniform or normal arrays drawn by the model from named streams,
so each function gives exact, testable results.
"""
