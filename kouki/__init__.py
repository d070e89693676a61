"""kouki — a city's side of 後期高齢者医療 (late-stage elderly medical care insurance)."""

__version__ = "0.1.0"
