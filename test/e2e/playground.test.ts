import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../support/app.js";

/**
 * The playground end to end: the real app (real Redis, its own key prefix) and Debian's chromium.
 * The data scientist and the ML engineer form #ml-platform, both assess in their direct messages, and the channel sees the team result.
 */

let app: RunningApp;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

beforeAll(async () => {
  app = await startApp("playground");
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.hostname !== "127.0.0.1") foreignRequests.push(request.url());
  });
  await page.goto(`${app.url}/`);
  await page.waitForSelector("body[data-ready=true]");
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Runs an input that posts one event and waits until the page has rendered the answer. */
async function roundTrip(act: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForResponse((r) => r.url().endsWith("/playground/api/event")), act()]);
  await page.waitForSelector("body[data-busy=false]");
}

async function say(text: string): Promise<void> {
  await page.getByTestId("composer").fill(text);
  await roundTrip(() => page.getByTestId("composer").press("Enter"));
}

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").trim();
}

function lastMessage(): Locator {
  return page.getByTestId("message").last();
}

async function click(id: string): Promise<void> {
  await roundTrip(() => lastMessage().getByTestId(`btn-${id}`).click());
}

async function field(message: Locator, label: string): Promise<string> {
  return text(message.locator(`[data-label="${label}"] dd`));
}

/** Answers every question of the open assessment with one level, checking the progress each time. */
async function answerAll(level: number): Promise<void> {
  for (let question = 1; question <= 8; question++) {
    await expect.poll(() => text(lastMessage().getByTestId("progress"))).toBe(`${question}/8`);
    await click(`answer-${level}`);
  }
}

describe("the playground web chat", () => {
  it("loads with the demo users and the current user's panes", async () => {
    const options = await page.getByTestId("user-select").locator("option").allTextContents();
    expect(options).toHaveLength(5);
    expect(await page.getByTestId("user-select").inputValue()).toBe("U-scientist");
    expect(await page.getByTestId("tabs").locator("button").allTextContents()).toEqual([
      "Direct messages",
      "#ml-platform",
      "#data-science",
    ]);
    expect(await page.getByTestId("empty").isVisible()).toBe(true);
  });

  it("the data scientist registers #ml-platform and starts the assessment from the channel", async () => {
    await page.getByTestId("tab-C-ml-platform").click();
    await say("/maturity setup");
    expect(await text(lastMessage())).toContain("#ml-platform is now a team with 2 members");
    expect(await text(page.getByTestId("user-message").last())).toContain("/maturity setup");

    await say("assess");
    expect(await text(lastMessage())).toContain("I've sent you a direct message");
    expect(await text(lastMessage().getByTestId("private"))).toBe("only visible to you");
    expect(await text(page.getByTestId("tab-dm").getByTestId("unread"))).toBe("1");
  });

  it("the data scientist answers all 8 questions in the DM with level 3, going back once", async () => {
    await page.getByTestId("tab-dm").click();
    await expect.poll(() => page.getByTestId("tab-dm").getByTestId("unread").count()).toBe(0);
    expect(await text(lastMessage().locator("h3"))).toMatch(/^Question 1\/8 · /);
    expect(await text(lastMessage())).toContain("#ml-platform ·");

    await click("answer-3");
    await expect.poll(() => text(lastMessage().getByTestId("progress"))).toBe("2/8");
    await click("back");
    await expect.poll(() => text(lastMessage().getByTestId("progress"))).toBe("1/8");
    const chosen = lastMessage().locator(".choice.primary");
    expect(await chosen.getByTestId("btn-answer-3").count()).toBe(1);
    expect(await text(chosen.getByTestId("note"))).toBe("your answer");
    await page.screenshot({ path: "/tmp/playground.png" });

    await answerAll(3);
    // Every question replaced the one before: the DM holds one bot message.
    expect(await page.getByTestId("message").count()).toBe(1);
    const result = lastMessage();
    expect(await text(result.locator("h3"))).toMatch(/^Done: your \d{4}-Q[1-4] result$/);
    expect(await field(result, "Score")).toBe("3.0");
    expect(await field(result, "Level")).toMatch(/^3 · /);
    expect(await field(result, "Band")).toBe("developing");
    expect(await field(result, "Answered")).toBe("8 of 8");
    expect(await result.getByTestId("table").locator("tbody tr").count()).toBeGreaterThan(0);
  });

  it("the ML engineer assesses from the DM (their only team is #ml-platform) with level 4", async () => {
    await page.getByTestId("user-select").selectOption("U-engineer");
    expect(await page.getByTestId("tabs").locator("button").allTextContents()).toEqual([
      "Direct messages",
      "#ml-platform",
    ]);
    expect(await page.getByTestId("message").count()).toBe(0);
    await say("assess");
    expect(await text(lastMessage())).toContain("#ml-platform ·");
    await answerAll(4);
    const result = lastMessage();
    expect(await field(result, "Score")).toBe("4.0");
    expect(await field(result, "Level")).toMatch(/^4 · /);
    expect(await field(result, "Band")).toBe("strong");
  });

  it("#ml-platform, a pair, sees participation only until its lead opens the results", async () => {
    await page.getByTestId("tab-C-ml-platform").click();
    const seen = await text(page.getByTestId("messages"));
    expect(seen).toContain("is now a team with 2 members");
    expect(seen).not.toContain("I've sent you a direct message"); // the data scientist's private notice
    await say("status");
    const hidden = lastMessage();
    expect(await text(hidden.locator("h3"))).toMatch(/^#ml-platform · \d{4}-Q[1-4]$/);
    expect(await text(hidden)).toContain("2 of 2 members completed");
    expect(await text(hidden)).toContain("participation only");
    expect(await hidden.getByTestId("fields").count()).toBe(0);

    await page.getByTestId("user-select").selectOption("U-scientist");
    await page.getByTestId("tab-C-ml-platform").click();
    await say("results open");
    expect(await text(lastMessage())).toContain("now has open results");
    await say("status");
    const status = lastMessage();
    // The median of 3 and 4 on every question.
    expect(await field(status, "Respondents")).toBe("2 of 2");
    expect(await field(status, "Score")).toBe("3.5");
    expect(await field(status, "Level")).toMatch(/^4 · /);
    expect(await field(status, "Band")).toBe("developing");
    expect(await text(status)).toContain("Why level 4:");
    expect(await text(status)).not.toContain("Your own result");
  });

  it("a reloaded page resumes an assessment where it stopped (state is in Redis)", async () => {
    await page.getByTestId("user-select").selectOption("U-lead");
    await page.getByTestId("tab-C-data-science").click();
    await say("setup");
    await page.getByTestId("tab-dm").click();
    await say("assess");
    await click("answer-2");
    await click("skip");
    await expect.poll(() => text(lastMessage().getByTestId("progress"))).toBe("3/8");

    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.getByTestId("user-select").selectOption("U-lead");
    expect(await page.getByTestId("message").count()).toBe(0);
    await say("assess");
    expect(await text(lastMessage())).toContain("Welcome back: picking up at question 3 of 8");
    expect(await text(lastMessage().getByTestId("progress"))).toBe("3/8");
    await click("answer-2");
    await expect.poll(() => text(lastMessage().getByTestId("progress"))).toBe("4/8");
  });

  it("logged no console errors and made no requests to other hosts", () => {
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  it("shows an error line and keeps the composer text when the server fails or is unreachable", async () => {
    await page.route("**/playground/api/event", (route) =>
      route.fulfill({
        status: 500,
        contentType: "application/json",
        body: JSON.stringify({ error: "internal error" }),
      }),
    );
    const before = await page.getByTestId("message").count();
    await say("status please");
    expect(await text(page.getByTestId("error"))).toContain("(500): internal error");
    expect(await page.getByTestId("composer").inputValue()).toBe("status please");
    expect(await page.getByTestId("message").count()).toBe(before);

    await page.unroute("**/playground/api/event");
    await page.route("**/playground/api/event", (route) => route.abort("connectionrefused"));
    await page.getByTestId("composer").press("Enter");
    await expect.poll(() => text(page.getByTestId("error"))).toContain("Can't reach the bot");
    expect(await page.getByTestId("composer").inputValue()).toBe("status please");

    await page.unroute("**/playground/api/event");
    await say("status please");
    expect(await page.getByTestId("error").isHidden()).toBe(true);
    expect(await page.getByTestId("composer").inputValue()).toBe("");
  });
});
