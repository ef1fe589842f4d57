// The workshop page of `cardlm serve` in a real headless Chromium.
//
//   node workshop.test.mjs CARDLM_BINARY MODEL_DIR [SCREENSHOT_DIR]
//
// Starts the server on a free port, drives the page as a user would (mouse
// and keyboard), checks what it shows, and stops the server with SIGINT.
// With SCREENSHOT_DIR, saves the page at desktop and phone width there.
// Chromium: $CHROMIUM or /usr/bin/chromium (Debian's `chromium` package).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const [binary, model, shots] = process.argv.slice(2);
if (!binary || !model) {
  console.error("usage: node workshop.test.mjs CARDLM_BINARY MODEL_DIR [SCREENSHOT_DIR]");
  process.exit(2);
}

function startServer() {
  const server = spawn(binary, ["serve", "--model", model, "--addr", "127.0.0.1:0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/[0-9.:]+\//);
      if (m) resolve(m[0]);
    });
    server.on("exit", (code) => reject(new Error(`cardlm serve exited (${code}) before its start-up line`)));
    setTimeout(() => reject(new Error("no start-up line within 60 s")), 60000);
  });
  return { server, url };
}

const tests = [];
function test(name, fn) {
  tests.push({ name, fn });
}

async function cards(page) {
  return page.$$eval("#cards .wrap.done", (wraps) => wraps.map((w) => ({
    name: w.querySelector(".card .name").textContent,
    typeLine: w.querySelector(".card .typeline").textContent,
    text: w.querySelector(".card .text").textContent,
    verdict: w.querySelector(".verdict").textContent,
    frame: w.querySelector(".frame").style.background,
  })));
}

async function generated(page, n) {
  await page.waitForFunction(
    (n) => document.querySelectorAll("#cards .wrap.done").length === n &&
      !document.body.classList.contains("busy"),
    n, { timeout: 60000 });
  return cards(page);
}

test("the page loads with the model's description and every steering option", async (page, url) => {
  await page.goto(url);
  assert.equal(await page.title(), "cardlm workshop");
  await page.waitForFunction(() => !document.getElementById("model-info").textContent.startsWith("loading"));
  const info = await page.textContent("#model-info");
  assert.match(info, /LSTM layers of/);
  for (const f of ["name", "cost", "type", "subtypes", "rarity", "pt", "ability", "temperature",
    "top_k", "top_p", "n", "seed", "max_len", "init_state", "only_valid", "novel_only", "keep_length", "best_of"]) {
    assert.equal(await page.locator(`[name="${f}"]`).count(), 1, `form field ${f}`);
  }
});

test("Generate shows N rendered cards with verdicts", async (page, url) => {
  await page.goto(url);
  await page.fill("#f-n", "4");
  await page.fill("#f-seed", "2026");
  await page.click("#generate");
  const drawn = await generated(page, 4);
  assert.equal(drawn.length, 4);
  for (const c of drawn) {
    assert.ok(c.name.length > 0, "a name");
    assert.ok(c.typeLine.length > 0, "a type line");
    assert.match(c.verdict, /well-formed/);
    assert.ok(c.frame.length > 0, "a frame colour");
  }
  // Mana symbols are drawn as symbols, not as {G} text.
  const symbols = await page.locator("#cards .card .ms").count();
  assert.ok(symbols > 0, "mana symbols drawn");
  assert.doesNotMatch(drawn.map((c) => c.text).join(" "), /\{[WUBRGT0-9]\}/);
  const status = await page.textContent("#status");
  assert.match(status, /4 cards in .* seed 2026/);
  // The same seed gives the same cards.
  await page.click("#generate");
  const again = await generated(page, 4);
  assert.deepEqual(again.map((c) => c.name), drawn.map((c) => c.name));
});

test("a locked field stays fixed on reroll and the rest changes", async (page, url) => {
  await page.goto(url);
  await page.fill("#f-n", "3");
  await page.fill("#f-seed", "7");
  await page.fill("#f-cost", "{1}{R}");
  await page.click("#generate");
  const first = await generated(page, 3);
  const seedBefore = (await page.textContent("#status")).match(/seed (\d+)/)[1];
  // Lock the first card's name from the card itself.
  await page.click('#cards .wrap.done[data-index="0"] .lock-field[data-field="name"]');
  assert.equal(await page.inputValue("#f-name"), first[0].name);
  assert.ok(await page.isChecked('input[data-lock="name"]'));
  await page.click("#reroll");
  const rerolled = await generated(page, 3);
  for (const c of rerolled) assert.equal(c.name, first[0].name, "locked name kept");
  // The unlocked cost was cleared: the form no longer fixes it.
  assert.equal(await page.inputValue("#f-cost"), "");
  const seedAfter = (await page.textContent("#status")).match(/seed (\d+)/)[1];
  assert.notEqual(seedAfter, seedBefore, "a new seed");
  assert.notDeepEqual(rerolled.map((c) => c.text), first.map((c) => c.text));
});

test("bad input shows the server's error and no cards", async (page, url) => {
  await page.goto(url);
  await page.fill("#f-temperature", "9");
  await page.click("#generate");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await page.textContent("#error"), /temperature must be between 0 and 5/);
  await page.fill("#f-temperature", "1");
  await page.fill("#f-pt", "big");
  await page.click("#generate");
  await page.waitForFunction(() => /expected power\/toughness/.test(document.getElementById("error").textContent));
  assert.equal(await page.locator("#cards .wrap.done").count(), 0);
});

test("the keyboard alone generates, and copy/download give the cards as JSON", async (page, url) => {
  await page.goto(url);
  await page.focus("#f-n");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("2");
  await page.keyboard.press("Enter");
  await generated(page, 2);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click("#download"),
  ]);
  const path = await download.path();
  const saved = JSON.parse(readFileSync(path, "utf8"));
  assert.equal(saved.cards.length, 2);
  assert.ok("well_formed" in saved.cards[0] && "line" in saved.cards[0]);
  assert.ok(!("html" in saved.cards[0]), "the drawing is not part of the cards");
  // A download button reached with Tab and pressed with Enter.
  await page.focus("#download");
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.dataset?.format === "cockatrice");
  }
  assert.ok(reached, "the Cockatrice button is reachable by Tab");
  const [xml] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  const text = readFileSync(await xml.path(), "utf8");
  assert.match(text, /<cockatrice_carddatabase version="4">/);
  assert.equal((text.match(/<card>/g) || []).length, 2);
});

// What a downloaded file must look like, per format, for `n` cards named `names`.
const checks = {
  text: (b, n, names) => assert.ok(names.every((x) => b.toString("utf8").includes(x)), "every name"),
  json: (b, n, names) => {
    const cards = JSON.parse(b.toString("utf8"));
    assert.deepEqual(cards.map((c) => c.name), names);
    assert.ok(cards.every((c) => "novelty" in c && "well_formed" in c));
  },
  jsonl: (b, n) => {
    const lines = b.toString("utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, n);
  },
  html: (b, n) => {
    const page = b.toString("utf8");
    assert.match(page, /^<!DOCTYPE html>/);
    assert.equal((page.match(/class="wrap"/g) || []).length, n);
  },
  mse: (b) => {
    assert.equal(b.subarray(0, 2).toString("latin1"), "PK", "a zip");
    // The zip's directory names the set file.
    assert.ok(b.includes(Buffer.from("set")), "holds the set file");
  },
  cockatrice: (b, n) => {
    const xml = b.toString("utf8");
    assert.match(xml, /^<\?xml/);
    assert.equal((xml.match(/<card>/g) || []).length, n);
  },
  scryfall: (b, n, names) => {
    const cards = JSON.parse(b.toString("utf8"));
    assert.equal(cards.length, n);
    assert.ok(cards.every((c) => c.object === "card" && typeof c.name === "string"));
  },
  png: (b) => {
    assert.equal(b.subarray(0, 8).toString("latin1"), "\x89PNG\r\n\x1a\n");
    const width = b.readUInt32BE(16);
    const height = b.readUInt32BE(20);
    assert.ok(width >= 480 && height >= 600, `${width} x ${height}`);
  },
  svg: (b) => assert.match(b.toString("utf8"), /<svg[^>]*>/),
};

test("every download button gives a file of its format that parses", async (page, url) => {
  await page.goto(url);
  await page.fill("#f-n", "2");
  await page.fill("#f-seed", "31");
  await page.click("#generate");
  const drawn = await generated(page, 2);
  const formats = await page.$$eval("#exports button", (bs) => bs.map((b) => b.dataset.format));
  assert.deepEqual(formats, Object.keys(checks));
  for (const f of formats) {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click(`#exports button[data-format="${f}"]`),
    ]);
    assert.match(download.suggestedFilename(), /^cardlm-cards-31\./, f);
    const bytes = readFileSync(await download.path());
    try {
      checks[f](bytes, 2, drawn.map((c) => c.name));
    } catch (e) {
      throw new Error(`${f}: ${e.message}`);
    }
  }
  assert.ok(await page.isHidden("#error"));
});

test("best of: curation is asked for, reported per card, and checked by the server", async (page, url) => {
  await page.goto(url);
  await page.fill("#f-n", "2");
  await page.fill("#f-seed", "4");
  await page.fill("#f-best_of", "3");
  await page.click("#generate");
  let drawn = await generated(page, 2);
  // Three candidates, or six when none of the three was clean.
  for (const c of drawn) assert.match(c.verdict, /the best of [369] candidates/);
  await page.fill("#f-best_of", "1");
  await page.click("#generate");
  drawn = await generated(page, 2);
  for (const c of drawn) assert.doesNotMatch(c.verdict, /best of/);
  await page.fill("#f-best_of", "0");
  await page.click("#generate");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await page.textContent("#error"), /best_of: 0 is outside 1..=256/);
});

test("a vanilla creature drawn rarer says it was printed common", async (page, url) => {
  await page.goto(url);
  await page.fill("#f-n", "2");
  await page.fill("#f-seed", "1");
  await page.click("#generate");
  const drawn = await generated(page, 2);
  // Measured: seed 1's two cards at the page's temperature 0.8 hold one.
  const printed = drawn.filter((c) => /printed common: drawn (uncommon|rare|mythic)/.test(c.verdict));
  assert.equal(printed.length, 1, drawn.map((c) => c.verdict).join(" | "));
});

test("the nearest real card opens on click when novelty is judged", async (page, url) => {
  await page.goto(url);
  await page.fill("#f-n", "2");
  await page.fill("#f-seed", "5");
  await page.click("#generate");
  await generated(page, 2);
  const links = page.locator("#cards .nearest");
  if ((await links.count()) === 0) {
    // A model without its training cards: the page says so.
    assert.match(await page.textContent("#cards .verdict"), /novelty not judged/);
    return;
  }
  await links.first().click();
  await page.waitForSelector("#nearest:not([hidden]) .card .name");
  assert.ok((await page.textContent("#nearest .card .name")).length > 0);
  await page.keyboard.press("Escape");
  assert.ok(await page.isHidden("#nearest"));
});

test("a multi-part card shows both faces side by side, a planeswalker its loyalty", async (page, url) => {
  await page.goto(url);
  // The server draws every card (html.rs); the page shows its drawing as is.
  const lines = [
    "Ⓢdelver of secrets⒞Ⓤ⒭C⒨transform⒯creature:human wizard⒫1/1⒜flying⒝insectile aberration⒞⒯creature:human insect⒫3/2⒜flyingⒺ",
    "Ⓢjace⒞②ⓊⓊ⒭M⒯legendary planeswalker:jace⒧3⒜+1: draw a card.Ⓔ",
  ];
  await page.evaluate(async (lines) => {
    const box = document.getElementById("cards");
    box.innerHTML = "";
    for (const line of lines) {
      const r = await fetch("/api/decode", { method: "POST", body: JSON.stringify({ line }) });
      box.insertAdjacentHTML("beforeend", `<div class="wrap done">${(await r.json()).html}</div>`);
    }
  }, lines);
  const faces = await page.$$eval("#cards .faces .card", (cs) => cs.map((c) => {
    const r = c.getBoundingClientRect();
    return { name: c.querySelector(".name").textContent, top: r.top, left: r.left, width: r.width };
  }));
  assert.deepEqual(faces.map((f) => f.name), ["Delver of Secrets", "Insectile Aberration"]);
  assert.equal(faces[0].top, faces[1].top, "side by side");
  assert.ok(faces[1].left >= faces[0].left + faces[0].width, "the back to the right of the front");
  assert.equal(await page.textContent("#cards .loyalty"), "3");
  assert.ok(await page.isVisible("#cards .loyalty"));
  // At phone width the back face goes under the front, inside the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `page is ${wide} px wide at 390`);
});

test("phone width: nothing wider than the screen", async (page, url) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url);
  await page.fill("#f-n", "2");
  await page.fill("#f-seed", "2026");
  await page.click("#generate");
  await generated(page, 2);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `page is ${wide} px wide at 390`);
  // The download buttons wrap inside the form.
  const right = await page.$$eval("#exports button", (bs) => Math.max(...bs.map((b) => b.getBoundingClientRect().right)));
  assert.ok(right <= 390, `a download button ends at ${right} px`);
});

async function screenshots(browser, url) {
  for (const [name, width, height] of [["desktop", 1280, 900], ["phone", 390, 844]]) {
    const page = await browser.newPage();
    await page.setViewportSize({ width, height });
    await page.goto(url);
    await page.fill("#f-n", width > 600 ? "6" : "3");
    await page.fill("#f-seed", "2026");
    await page.fill("#f-temperature", "0.8");
    await page.click("#generate");
    await generated(page, width > 600 ? 6 : 3);
    await page.waitForFunction(() => !document.getElementById("model-info").textContent.startsWith("loading"));
    await page.screenshot({ path: join(shots, `serve-${name}.png`), fullPage: width < 600 });
    await page.close();
  }
}

const profile = mkdtempSync(join(tmpdir(), "cardlm-chromium-"));
const { server, url: urlPromise } = startServer();
let failed = 0;
let browser;
try {
  const url = await urlPromise;
  // A fresh profile directory (Playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  for (const t of tests) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await t.fn(page, url);
      assert.deepEqual(errors, [], "no script errors");
      console.log(`ok   ${t.name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}\n     ${e.message.split("\n").join("\n     ")}`);
    }
    await page.close();
  }
  if (shots) await screenshots(browser, url);
} catch (e) {
  failed++;
  console.log(`FAIL ${e.message}`);
} finally {
  if (browser) await browser.close();
  server.kill("SIGINT");
  rmSync(profile, { recursive: true, force: true });
}
const code = await new Promise((resolve) => {
  if (server.exitCode !== null) resolve(server.exitCode);
  else server.on("exit", (c) => resolve(c));
});
if (code !== 0) {
  failed++;
  console.log(`FAIL cardlm serve exited with ${code} after SIGINT`);
}
console.log(failed ? `${failed} browser test(s) failed` : `all ${tests.length} browser tests passed`);
process.exit(failed ? 1 : 0);
