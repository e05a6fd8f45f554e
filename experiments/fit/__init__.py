"""Fitting the model to data: target files, replications, figures, validation and calibration."""
