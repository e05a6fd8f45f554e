"""Sensitivity analysis and scenario discovery: problem files, evaluators, studies, reports, PRIM."""
