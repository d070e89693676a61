"""The one gate to personal numbers: vault, blind index, permission + purpose, reference log, audit chain."""
