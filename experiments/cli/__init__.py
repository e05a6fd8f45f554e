"""The ``ruralsim`` command line: the Typer app on top (main), one module per command, the console below."""
