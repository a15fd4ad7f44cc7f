// Browser test of the explorer: builds and starts the real server on a
// free port over the frozen fixture testdata/data (so adding a plan to
// data/ changes nothing here), drives Debian's Chromium through
// playwright-core, and saves a screenshot to docs/explorer.png for the
// README.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "../../..");
let server, base, browser, page;

before(async () => {
  const bin = join(mkdtempSync(join(tmpdir(), "pg-")), "policygraph");
  execFileSync("go", ["build", "-o", bin, "./cmd/policygraph"], { cwd: root, stdio: "inherit" });
  server = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--db", "memory", "--data", join(root, "testdata", "data")], { cwd: root });
  base = await new Promise((ok, fail) => {
    let out = "";
    server.stdout.on("data", (b) => {
      out += b;
      const m = out.match(/serving (http:\/\/\S+)/);
      if (m) ok(m[1]);
    });
    server.on("exit", (code) => fail(new Error(`server exited ${code}: ${out}`)));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("pageerror", (err) => { throw err; });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
});

test("search for 区块链 finds the technology", async () => {
  await page.goto(base + "/");
  await page.fill("#search", "区块链");
  await page.press("#search", "Enter");
  await page.waitForSelector("#hits li");
  const first = await page.textContent("#hits li:first-child");
  assert.match(first, /technology\s*Blockchain/);
  await page.click("#hits li:first-child a");
  await page.waitForFunction(() => location.hash === "#/node/technology/blockchain");
  await page.waitForFunction(() => window.pg.cy && window.pg.cy.getElementById("technology/blockchain").data("root") === 1);
  assert.ok(await page.evaluate(() => window.pg.cy.nodes('[type = "measure"]').length > 10));
  assert.match(await page.textContent("h1"), /Blockchain/);
});

test("Fuzhou found from 福州, drawn with its plans, measures and an inferred dashed link", async () => {
  await page.fill("#search", "福州");
  await page.press("#search", "Enter");
  await page.waitForFunction(() => document.querySelector("#hits li:first-child a")?.getAttribute("href") === "#/node/city/fuzhou");
  await page.click("#hits li:first-child a");
  await page.waitForFunction(() => location.hash === "#/node/city/fuzhou");
  await page.waitForFunction(() => window.pg.cy && window.pg.cy.getElementById("city/fuzhou").data("root") === 1);
  const drawn = await page.evaluate(() => {
    const cy = window.pg.cy;
    const has = (id) => cy.getElementById(id).nonempty();
    const inferred = cy.edges('[basis = "inferred"]');
    const explicit = cy.edges('[basis = "explicit"]');
    return {
      plans: has("plan/fuzhou-new-infrastructure-2020") && has("plan/fuzhou-new-infrastructure-measures-2020"),
      finance: has("measure/fuzhou-finance-demonstration") && has("domain/finance") && has("technology/blockchain"),
      inferred: inferred.length, inferredStyle: inferred.length ? inferred[0].style("line-style") : "",
      explicitStyle: explicit.length ? explicit[0].style("line-style") : "",
    };
  });
  assert.ok(drawn.plans, "both Fuzhou documents drawn");
  assert.ok(drawn.finance, "the finance demonstration, blockchain and finance drawn");
  assert.ok(drawn.inferred > 0, "an inferred link drawn");
  assert.equal(drawn.inferredStyle, "dashed");
  assert.equal(drawn.explicitStyle, "solid");
  // Evidence of a link on click.
  await page.evaluate(() => window.pg.cy.edges('[basis = "inferred"]')[0].emit("tap"));
  await page.waitForFunction(() => document.getElementById("evidence").textContent.includes("section: comparison"));
  await page.screenshot({ path: join(root, "docs/explorer.png") });
});

test("compare shows the basis of each cell", async () => {
  await page.goto(base + "/#/compare?technology=blockchain");
  await page.waitForSelector("#matrix");
  const gov = await page.$$eval("#matrix tr", (rows) => {
    const head = [...rows[0].querySelectorAll("th")].map((th) => th.textContent.trim());
    const row = rows.find((r) => r.querySelector("th")?.textContent.trim() === "government");
    return Object.fromEntries([...row.querySelectorAll("td")].map((td, i) => [head[i + 1], td.className]));
  });
  assert.deepEqual(gov, { beijing: "explicit", china: "explicit", fuzhou: "inferred", shanghai: "inferred", shaoxing: "" });
});

test("the console runs a Gizmo query, draws and tabulates it", async () => {
  await page.goto(base + "/#/console");
  await page.waitForSelector("#query");
  await page.click("#run");
  await page.waitForSelector("#result-table");
  const cells = await page.$$eval("#result-table td", (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(cells.sort(), ["https://policygraph.org/id/city/beijing", "https://policygraph.org/id/city/fuzhou"]);
  assert.equal(await page.evaluate(() => window.pg.cy.nodes().length), 2);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
  assert.equal(download.suggestedFilename(), "query.csv");
});
