// Runs axe-core in headless Chromium on local HTML files and prints, as JSON, the WCAG 2.1
// A/AA violations per file: {"file": [{id, impact, help, nodes: [target, ...]}], ...}.
// Usage: node axe_check.mjs [--screenshot OUT.png] FILE.html ...
// The browser is the system's Chromium (CHROMIUM, else /usr/bin/chromium); puppeteer-core
// downloads no browser of its own. axe is injected through the DevTools protocol (the
// reports carry no scripts of their own). Also listed: the rules that passed or could not
// decide, requests for anything but the file itself, and page errors.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const args = process.argv.slice(2);
let screenshot = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--screenshot") screenshot = args[++i];
  else files.push(args[i]);
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const result = {};
try {
  for (const file of files) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.evaluate(axeSource);
    const report = await page.evaluate(
      (tags) => axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
      TAGS,
    );
    result[file] = {
      violations: report.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
      })),
      passes: report.passes.map((p) => p.id),
      incomplete: report.incomplete.map((p) => ({ id: p.id, nodes: p.nodes.length })),
      axe: report.testEngine.version,
      browser: await browser.version(),
      external_requests: requests.filter((u) => u !== pathToFileURL(file).href),
      errors,
    };
    if (screenshot && file === files[0]) {
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result, null, 2) + "\n");
