"""One module per ``cellgrad`` subcommand: ``add_arguments(parser)`` and ``run(args) -> int``."""
