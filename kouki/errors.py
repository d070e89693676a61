"""Errors shared by the command line and the modules it calls."""


class CommandError(Exception):
    """A clear message for the operator; printed on stderr, exit status 2."""
