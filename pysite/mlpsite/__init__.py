"""The site's own Python, run in the browser next to mlp (and natively by the tests)."""

__version__ = "0.1.0"
