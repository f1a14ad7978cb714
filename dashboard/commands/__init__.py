"""One module per ``python -m dashboard`` subcommand."""
