"""Batch experiments: experiment files (spec), executors, the runner, the result store, Mesa batch_run."""
