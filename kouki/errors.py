"""Errors shared by the command line and the modules it calls."""

EXIT_OPERATOR_ERROR = 2
EXIT_REFUSED = 3


class CommandError(Exception):
    """A clear message for the operator; printed on stderr, exit status 2 (3 when the user was refused)."""

    def __init__(self, message: str, *, status: int = EXIT_OPERATOR_ERROR) -> None:
        super().__init__(message)
        self.status = status
