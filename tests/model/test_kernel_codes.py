"""The named codes the kernels use agree with the tables they index."""

from model import kernel


def test_december_column_names_match_their_positions():
    for name, position in kernel.DEC.items():
        assert getattr(kernel, f"DEC_{name.upper()}") == position, name
