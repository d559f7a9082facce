// A real browser on another origin (http://127.0.0.1:5173) making the original frontend's calls through the edge:
//   node journey.mjs <edge base URL, e.g. http://localhost:8080> [screenshot.png]
// Serves page.html on 127.0.0.1:5173 (an allowed development origin), opens it in Debian's chromium
// (PAWFILER_CHROMIUM, default /usr/bin/chromium) through playwright-core, waits for the page to finish and checks
// what it shows. Prints one line per check; exits 1 if any failed.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const edge = process.argv[2] ?? "http://localhost:8080";
const screenshot = process.argv[3];
const page = readFileSync(new URL("./page.html", import.meta.url));
const server = createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(page);
});
await new Promise((resolve, reject) => server.once("error", reject).listen(5173, "127.0.0.1", resolve));

const browser = await chromium.launch({
  executablePath: process.env.PAWFILER_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
let failed = 0;
let checked = 0;
try {
  const tab = await browser.newPage();
  tab.on("console", msg => console.log(`console: ${msg.text()}`));
  await tab.goto(`http://127.0.0.1:5173/?base=${encodeURIComponent(edge)}`);
  await tab.waitForFunction(() => document.getElementById("done").textContent !== "", null, { timeout: 60000 });
  const text = async id => (await tab.textContent(`#${id}`)).trim();
  const checks = [
    ["done", /^done$/],
    ["signup", /^signed up as browser\..+@pawfiler\.test$/],
    ["question", /^question \S+ \([A-Z_]+\), energy \d+\/\d+$/],
    ["answer", /^answered: correct=(true|false), xp_earned=\d+, coins=\d+$/],
    ["post", /^created post \S+: 브라우저에서 \d+$/],
    ["feed", /^feed of \d+: has 브라우저에서 \d+ by \S+$/],
    ["plans", /^plans: \S+/],
    ["refused", /^HTTP 401 code 16: Jwt is missing$/],
  ];
  for (const [id, expected] of checks) {
    const shown = await text(id);
    const ok = expected.test(shown);
    checked++;
    if (!ok) failed++;
    console.log(`${ok ? "ok  " : "FAIL"} ${id}: ${shown}`);
  }
  if (screenshot) await tab.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
  server.close();
}
console.log(`browser checks: ${checked - failed} ok, ${failed} failed`);
process.exit(failed === 0 && checked > 0 ? 0 : 1);
