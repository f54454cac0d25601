import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  BOT_SCOPES,
  createSlackAdapter,
  type SlackAdapterOptions,
} from "../../../../src/adapters/slack/index.js";
import { ACTION_ID } from "../../../../src/adapters/slack/listeners/action.js";
import { slackMentions } from "../../../../src/adapters/slack/normalise.js";
import type { ConversationEngine } from "../../../../src/core/conversation/engine.js";
import { silentLogger } from "../../../../src/observability/logger.js";
import { Metrics } from "../../../../src/observability/metrics.js";
import { Keys } from "../../../../src/store/keys.js";

const options: SlackAdapterOptions = {
  engine: {} as ConversationEngine,
  redis: {} as Redis,
  keys: new Keys("mbtest"),
  logger: silentLogger,
  metrics: new Metrics(),
  logLevel: "error",
};

const request = (method: string, url: string) => ({ method, url, headers: {} }) as IncomingMessage;

describe("the Slack adapter's wiring", () => {
  it("serves one HTTP route for events, commands and interactivity, and leaves other paths alone", async () => {
    const slack = await createSlackAdapter(
      { signingSecret: "s", botToken: "xoxb-1", apiUrl: "http://127.0.0.1:9/api/" },
      options,
    );
    expect(slack.mode).toBe("http");
    expect(slack.route).toBeDefined();
    expect(await slack.route!(request("GET", "/healthz"), {} as ServerResponse)).toBe(false);
    expect(await slack.route!(request("GET", "/slack/install"), {} as ServerResponse)).toBe(false); // no OAuth configured
    await slack.stop();
  });

  it("serves no route in Socket Mode, and needs a bot token there", async () => {
    const socket = await createSlackAdapter(
      { signingSecret: "s", botToken: "xoxb-1", appToken: "xapp-1" },
      options,
    );
    expect(socket.mode).toBe("socket");
    expect(socket.route).toBeUndefined();
    await expect(
      createSlackAdapter(
        {
          signingSecret: "s",
          appToken: "xapp-1",
          oauth: { clientId: "c", clientSecret: "s", stateSecret: "x", installationKeys: [] },
        },
        options,
      ),
    ).rejects.toThrow(/SLACK_BOT_TOKEN/);
  });

  it("matches every button id the reply model produces with its one action listener", () => {
    for (const id of [
      "answer-1",
      "answer-keep",
      "back",
      "skip",
      "restart",
      "results",
      "roadmap",
      "status",
      "start-assess",
      "start-assess-quick",
      "ask-0",
      "pick-assess-C123",
      "home-assess-0",
      "home-resume-0",
      "answer-1-2",
    ]) {
      expect(ACTION_ID.test(id), id).toBe(true);
    }
  });

  it("turns Slack's mentions into plain @names and a list, dropping the bot's own", () => {
    expect(slackMentions("<@UBOT> lead <@U123|lead> and <@U456>", "UBOT")).toEqual({
      text: "lead @lead and @U456",
      mentions: [{ id: "U123", name: "lead" }, { id: "U456" }],
    });
    expect(slackMentions("<@UBOT> setup", "UBOT")).toEqual({ text: "setup", mentions: [] });
    expect(slackMentions("no mentions here").mentions).toEqual([]);
  });
});

describe("manifest.yml", () => {
  const manifest = parse(readFileSync(new URL("../../../../manifest.yml", import.meta.url), "utf8"));

  it("asks for exactly the scopes the OAuth install asks for", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });

  it("subscribes to the events the adapter listens to, all on /slack/events", () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      [
        "app_home_opened",
        "app_mention",
        "app_uninstalled",
        "member_joined_channel",
        "member_left_channel",
        "message.im",
      ].sort(),
    );
    expect(manifest.settings.event_subscriptions.request_url).toBe("https://YOUR-HOST/slack/events");
    expect(manifest.settings.interactivity.request_url).toBe("https://YOUR-HOST/slack/events");
    expect(manifest.features.slash_commands[0].command).toBe("/maturity");
    expect(manifest.features.slash_commands[0].url).toBe("https://YOUR-HOST/slack/events");
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
  });
});
