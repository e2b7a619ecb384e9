// Firefox for the engine tours (tests/browser/engines/): puppeteer-core over WebDriver BiDi,
// driven by Python through JSON lines. Each line on stdin is a command, each line on stdout
// its answer ({ok, value} or {ok: false, error}); what the browser reports by itself
// (console errors, uncaught errors, also of workers where BiDi reports them) is collected and
// returned by {op: "problems"}, with the requests that failed (the server's log has those
// answered >= 400).
//   {op: "goto", url}           loads url, waits for "load"
//   {op: "eval", js}            awaits the expression js in the page; its JSON value
//   {op: "cookie", url, name, value}
//   {op: "screenshot", path}    a PNG of the viewport
//   {op: "offline", enabled}    the tab without a network (navigator.onLine false), or with
//   {op: "version"}             the browser's product and version, as it reports them
//   {op: "close"}
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

const executablePath = process.argv[2] || "/usr/bin/firefox-esr";
const browser = await puppeteer.launch({
  browser: "firefox", executablePath, headless: true, protocolTimeout: 900_000,
  defaultViewport: { width: 1280, height: 800 },
});
const context = await browser.createBrowserContext();
const page = await context.newPage();
page.setDefaultTimeout(300_000);
const problems = [];
page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console error: ${msg.text()}`); });
page.on("pageerror", (error) => problems.push(`uncaught error: ${error.message || error}`));
// NS_BINDING_ABORTED: the page itself cancelled the request (a navigation, a terminated
// worker), as Chromium's ERR_ABORTED, which the Chromium tests' guard leaves out likewise.
page.on("requestfailed", (request) => {
  const why = request.failure()?.errorText ?? "";
  if (!why.includes("NS_BINDING_ABORTED")) problems.push(`request failed: ${request.method()} ${request.url()} ${why}`);
});

const ops = {
  goto: async ({ url }) => { await page.goto(url, { waitUntil: "load" }); return page.url(); },
  eval: async ({ js }) => page.evaluate(`(async () => (${js}))()`),
  cookie: async ({ url, name, value }) => { await page.setCookie({ url, name, value }); return true; },
  offline: async ({ enabled }) => { await page.setOfflineMode(enabled); return enabled; },
  screenshot: async ({ path }) => { await page.screenshot({ path }); return path; },
  version: async () => browser.version(),
  problems: async () => problems.splice(0),
  close: async () => { await browser.close(); process.exit(0); },
};

const say = (answer) => process.stdout.write(JSON.stringify(answer) + "\n");
say({ ok: true, value: "started" });
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  try {
    say({ ok: true, value: await ops[command.op](command) ?? null });
  } catch (error) {
    say({ ok: false, error: String(error?.message || error) });
  }
}
await browser.close();
