"""Subcommands of `kouki`."""
