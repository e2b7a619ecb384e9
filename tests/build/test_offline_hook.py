"""hooks/offline.py: a built site gets sw.js and a manifest; `mkdocs serve` gets no sw.js."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_hook():
    spec = importlib.util.spec_from_file_location("offline_hook_under_test", ROOT / "hooks" / "offline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tiny_site(tmp_path):
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "index.html").write_text("<html><head></head><body>home</body></html>")
    (site / "data" / "index.html").write_text("<html><head></head><body>data</body></html>")
    (site / "sw.js").write_text("// left by an earlier build")
    return site


CONFIG = {"site_name": "Neural networks from scratch", "site_description": "A test."}


def test_serve_makes_no_service_worker(tmp_path):
    hook, site = load_hook(), tiny_site(tmp_path)
    hook.on_startup(command="serve", dirty=False)
    hook.on_post_build(dict(CONFIG, site_dir=str(site)))
    assert not (site / "sw.js").exists()
    assert json.loads((site / "manifest.webmanifest").read_text())["name"] == CONFIG["site_name"]


def test_build_makes_a_service_worker_that_precaches_every_page(tmp_path):
    hook, site = load_hook(), tiny_site(tmp_path)
    hook.on_startup(command="build", dirty=False)
    hook.on_post_build(dict(CONFIG, site_dir=str(site)))
    sw = (site / "sw.js").read_text()
    for url in ("index.html", "data/index.html", "manifest.webmanifest", "assets/offline/icon.svg"):
        assert f'"url":"{url}"' in sw
    assert "Cross-Origin-Embedder-Policy" in sw and "require-corp" in sw
    assert (site / "manifest.webmanifest").stat().st_mode & 0o044 == 0o044  # readable by a server


class Page:
    url = "forward/"


@pytest.mark.parametrize("command", ["build", "serve"])
def test_every_page_links_the_manifest_and_built_pages_name_the_worker(command):
    hook = load_hook()
    hook.on_startup(command=command, dirty=False)
    html = hook.on_post_page("<html><head></head><body></body></html>", Page(), {})
    assert '<link rel="manifest" href="../manifest.webmanifest">' in html
    named = '<meta name="site-service-worker" content="../sw.js">' in html
    assert named == (command == "build"), "under mkdocs serve no page names a worker"


def test_the_not_found_page_names_the_worker_from_the_site_root():
    hook = load_hook()
    hook.on_startup(command="build", dirty=False)
    html = hook.on_post_template("<html><head></head></html>", "404.html",
                                 {"site_url": "https://example.org/nn/"})
    assert '<link rel="manifest" href="/nn/manifest.webmanifest">' in html
    assert '<meta name="site-service-worker" content="/nn/sw.js">' in html
    assert hook.on_post_template("<urlset/>", "sitemap.xml", {"site_url": ""}) == "<urlset/>"
