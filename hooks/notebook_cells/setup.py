# Set-up: `mlp` (the network) and `page` (the figures), as on the site.
# SITE, MLP_WHEEL, MLPSITE_WHEEL and PAGE_SOURCE are set above by the site's build.
import sys
import types
import urllib.request

try:
    import mlp
except ImportError:
    raise ModuleNotFoundError(
        "mlp is not installed in this notebook's Python. Install it, then run this "
        f"cell again:\n    %pip install {SITE}{MLP_WHEEL}\n"
        "or, in a clone of the repository:  pip install -e .") from None


def page_from_site():
    """The site's drawing module, when the site serves it as a plain file."""
    url = SITE + (PAGE_SOURCE or "")
    try:
        if not PAGE_SOURCE:
            raise OSError("this site serves no page.py")
        with urllib.request.urlopen(url, timeout=30) as response:
            source = response.read().decode("utf-8")
    except OSError as error:
        wheel = f"%pip install {SITE}{MLPSITE_WHEEL}" if MLPSITE_WHEEL else "pip install ./pysite"
        raise ModuleNotFoundError(
            f"page (the figures) comes with the site's package mlpsite: {wheel} "
            f"(or, in a clone of the repository, pip install ./pysite). "
            f"Reading {url} failed too: {error}") from None
    module = types.ModuleType("page")
    module.__file__ = url
    exec(compile(source, url, "exec"), module.__dict__)
    return module


try:
    from mlpsite import page
except ImportError:
    page = page_from_site()
sys.modules["page"] = page        # the chapter's cells say `import page`
print(f"mlp {mlp.__version__}; figures: {page.__name__}")
