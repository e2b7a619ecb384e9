"""Drivers of the engine tours (test_engines.py): Firefox through puppeteer-core over WebDriver
BiDi (engines/firefox_bridge.mjs, a Node process spoken to in JSON lines) and WebKitGTK
through Selenium's WebKitWebDriver with MiniBrowser on an Xvfb display of its own (or $DISPLAY). Both do the same few things:

    goto(url)        load url and wait for its load event
    eval(js)         await the JavaScript expression js in the page; its JSON value
    problems()       console errors, uncaught errors and failed loads the page reported since
                     the last call (Firefox: what BiDi reports; WebKit: the hook
                     engines/hook.js, which the test server puts in every page)
    screenshot(path) a PNG of the viewport
    set_offline(on)  the tab without a network (Firefox); False where the driver cannot
    engine           "firefox" or "webkit"; version: what the browser says of itself
    close()

Finders: find_firefox() and find_webkit() -> (path or None, how it was found), like
assets.browser.find_chromium (FIREFOX, WEBKIT_DRIVER and MINIBROWSER override).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
HOOK = (HERE / "engines" / "hook.js").read_text()
COOKIE = ("head-script", "1")       # asks the test server for the hook (StaticServer.head_script)
SCRIPT_TIMEOUT_S = 900


def find_firefox() -> tuple[str | None, str]:
    given = os.environ.get("FIREFOX")
    if given:
        return (given, "$FIREFOX") if os.access(given, os.X_OK) else (None, f"FIREFOX={given} is not an executable")
    for name in ("firefox-esr", "firefox"):
        path = shutil.which(name)
        if path:
            return path, f"{name} on PATH"
    return None, "no firefox-esr or firefox on PATH"


def find_webkit() -> tuple[str | None, str]:
    """MiniBrowser's path; WebKitWebDriver (or $WEBKIT_DRIVER) and Xvfb (or a $DISPLAY) are needed."""
    driver = os.environ.get("WEBKIT_DRIVER") or shutil.which("WebKitWebDriver")
    if not driver:
        return None, "no WebKitWebDriver on PATH (Debian: webkit2gtk-driver)"
    if not shutil.which("Xvfb") and not os.environ.get("DISPLAY"):
        return None, "no Xvfb on PATH and no $DISPLAY (Debian: xvfb)"
    given = os.environ.get("MINIBROWSER")
    found = [given] if given else sorted(glob.glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser"))
    found = [p for p in found if p and os.access(p, os.X_OK)]
    if not found:
        return None, "no MiniBrowser (Debian: webkit2gtk-driver installs it under /usr/lib/<arch>/webkit2gtk-4.1/)"
    return found[-1], "MiniBrowser of webkit2gtk"


class FirefoxDriver:
    engine = "firefox"

    def __init__(self, path: str):
        self.proc = subprocess.Popen(["node", str(HERE / "engines" / "firefox_bridge.mjs"), path],
                                     cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)
        self._answer()
        self.version = self._call("version")

    def _answer(self):
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the Firefox bridge ended (see the output above)")
        answer = json.loads(line)
        if not answer["ok"]:
            raise RuntimeError(answer["error"])
        return answer["value"]

    def _call(self, op, **args):
        self.proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
        return self._answer()

    def goto(self, url: str) -> None:
        self._call("goto", url=url)

    def eval(self, js: str, *, repeatable: bool = False):
        # `repeatable` is WebKitDriver's: Firefox's answers are always read.
        return self._call("eval", js=js)

    def problems(self) -> list[str]:
        return self._call("problems")

    def screenshot(self, path) -> None:
        self._call("screenshot", path=str(path))

    def set_offline(self, on: bool) -> bool:
        return self._call("offline", enabled=on)

    def close(self) -> None:
        try:
            self._call("close")
        except (RuntimeError, BrokenPipeError, OSError):
            pass
        self.proc.wait(timeout=30)


class WebKitDriver:
    engine = "webkit"

    def __init__(self, minibrowser: str, env: dict[str, str]):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        options = Options()
        options.binary_location = minibrowser
        options.add_argument("--automation")
        driver = os.environ.get("WEBKIT_DRIVER") or shutil.which("WebKitWebDriver")
        self.display = None
        self.retried = 0    # scripts run again after an unparsed result (eval)
        run_env = {**os.environ, **env}
        if not os.environ.get("DISPLAY"):
            self.display = subprocess.Popen(["Xvfb", "-displayfd", "1", "-nolisten", "tcp"],
                                            stdout=subprocess.PIPE, text=True)
            run_env["DISPLAY"] = ":" + self.display.stdout.readline().strip()
        self.driver = webdriver.WebKitGTK(options=options, service=Service(executable_path=driver, env=run_env))
        self.driver.set_script_timeout(SCRIPT_TIMEOUT_S)
        self.driver.set_page_load_timeout(120)
        self.driver.set_window_size(1280, 938)  # a 1280x900 viewport
        caps = self.driver.capabilities
        self.version = f"{caps.get('browserName')} {caps.get('browserVersion')}"

    def set_cookie(self, base: str) -> None:
        self.driver.get(base + "sitemap.xml")      # a cookie needs a page of its origin
        self.driver.add_cookie({"name": COOKIE[0], "value": COOKIE[1], "path": "/"})

    def goto(self, url: str) -> None:
        self.driver.get(url)

    def eval(self, js: str, *, repeatable: bool = False):
        """The value of `js` (awaited). WebKitWebDriver now and then answers a script whose
        result is plain JSON with "Could not parse script result"; a `repeatable` script (one
        that only reads, or waits) is then run again, at most twice, and counted in .retried."""
        from selenium.common.exceptions import WebDriverException

        script = ("const done = arguments[arguments.length - 1];"
                  f"Promise.resolve().then(async () => ({js})).then((value) => done({{ok: true, value: value ?? null}}),"
                  " (error) => done({ok: false, error: String(error) + ' ' + (error && error.stack || '')}));")
        tries = 3 if repeatable else 1
        for attempt in range(tries):
            try:
                answer = self.driver.execute_async_script(script)
                break
            except WebDriverException as error:
                if "Could not parse script result" not in str(error) or attempt == tries - 1:
                    raise
                self.retried += 1
        if not answer["ok"]:
            raise RuntimeError(answer["error"])
        return answer["value"]

    def problems(self) -> list[str]:
        return self.eval("(window.__engineErrors || []).splice(0)")

    def screenshot(self, path) -> None:
        self.driver.save_screenshot(str(path))

    def set_offline(self, on: bool) -> bool:
        return False        # WebKitWebDriver has no network emulation

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            if self.display:
                self.display.terminate()
                self.display.wait(timeout=10)
