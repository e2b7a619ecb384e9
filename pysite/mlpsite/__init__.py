"""The site's own Python, shipped as a wheel beside mlp and loaded by the page's worker.

- ``mlpsite.page``: what cell code draws on the page (imported in cells as ``page``);
- ``mlpsite.runner``: runs cell code and calls named functions for the page;
- ``mlpsite.lab``: the training lab's Python side.

Natively (tests, scripts) the modules import like any package; ``page`` then checks its
arguments and prints a one-line summary instead of drawing.
"""

__version__ = "0.1.0"
