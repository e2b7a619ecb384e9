# Set-up: `mlp` (the network) and `page` (the figures), as on the site.
# SITE, MLP_WHEEL and MLPSITE_WHEEL are set above by the site's build.
import sys

try:
    import mlp
except ImportError:
    raise ModuleNotFoundError(
        "mlp is not installed in this notebook's Python. Install it, then run this "
        f"cell again:\n    %pip install {SITE}{MLP_WHEEL}\n"
        "or, in a clone of the repository:  pip install -e .") from None

try:
    from mlpsite import page
except ImportError:
    wheel = f"%pip install {SITE}{MLPSITE_WHEEL}" if MLPSITE_WHEEL else "pip install ./pysite"
    raise ModuleNotFoundError(
        "page (the figures) comes with the site's package mlpsite, which is not installed in "
        f"this notebook's Python. Install it, then run this cell again:\n    {wheel}\n"
        "or, in a clone of the repository:  pip install ./pysite") from None
sys.modules["page"] = page        # the chapter's cells say `import page`
print(f"mlp {mlp.__version__}; figures: {page.__name__}")
