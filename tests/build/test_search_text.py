"""The search-text hook: search previews show readable maths, not LaTeX source."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def hook():
    spec = importlib.util.spec_from_file_location("search_text_under_test", ROOT / "hooks" / "search_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("latex, text", [
    (r"\(\eta\)", "η"),
    (r"\(\partial L / \partial V\)", "∂L / ∂V"),
    (r"\[ dZ_2 = \tfrac{1}{B}(P - Y) \qquad (B, 10). \]", "dZ_2 = 1/B(P - Y) (B, 10)."),
    (r"\(z &lt; -88.7\)", "z &lt; -88.7"),  # the index is HTML-escaped; it stays so
])
def test_formulas_become_plain_text(hook, latex, text):
    assert hook.plain_text(f"the rate {latex} here") == f"the rate {text} here"


def test_rewrites_the_built_index_in_place(hook, tmp_path):
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    docs = [{"location": "a/", "title": r"Gradient \(dW\)", "text": r"step \(\eta\) times \(\nabla L\)"}]
    index.write_text(json.dumps({"config": {"lang": ["en"]}, "docs": docs}))
    hook.on_post_build({"site_dir": str(tmp_path)})
    out = json.loads(index.read_text())
    assert out["config"] == {"lang": ["en"]}
    assert out["docs"][0]["title"] == "Gradient dW"
    assert out["docs"][0]["text"] == "step η times ∇L"
    assert "\\" not in json.dumps(out["docs"], ensure_ascii=False)
    assert list(index.parent.iterdir()) == [index]  # no temporary file left behind
