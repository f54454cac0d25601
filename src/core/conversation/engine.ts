import { BotError } from "../errors.js";
import { didYouMean } from "../knowledge/chat.js";
import { mentionToken, privately, quoted, type Reply, reply } from "../reply.js";
import {
  DOUBLE_CLICK_MS,
  handleAssessmentAction,
  parseAssessmentAction,
  startAssessment,
} from "./assessment-flow.js";
import { command as typed } from "./audience.js";
import {
  type Directory,
  type EngineDeps,
  NotInChannelError,
  newTurn,
  type Outcome,
  type Turn,
} from "./context.js";
import { type ChatEvent, type ChatEventInput, chatEventSchema } from "./events.js";
import { MAX_TEAM_MEMBERS, type Team, TeamTooLargeError } from "./ports.js";
import { leadTeam, retryFailure, roundCommand } from "./round-commands.js";
import { answerReply, roadmapReply, statusReply, teamState } from "./team-views.js";
import { COMMANDS, helpText, isCommand, START_BUTTONS } from "./texts.js";
import { distinctLabels, teamLabel } from "./views.js";

export interface HandleOptions {
  directory?: Directory;
}

const BAD_REQUEST = "Sorry, I couldn't read that request. Nothing was changed; please try again.";

/**
 * The one place that decides what the bot does. Input: a normalised event from any adapter. Output: the
 * replies in the reply model and the effects an adapter or the jobs carry out. Bad input gets a clear
 * message; other errors are thrown to the adapter's one error handler (see core/errors.ts).
 */
/** How long a delivery id is remembered: platforms retry within minutes. */
const DAY_MS = 86_400_000;

export class ConversationEngine {
  constructor(readonly deps: EngineDeps) {}

  async handle(input: ChatEventInput, options: HandleOptions = {}): Promise<Outcome> {
    const parsed = chatEventSchema.safeParse(input);
    if (!parsed.success) return { replies: [privately(BAD_REQUEST)], effects: [] };
    const event = parsed.data;
    // A retried delivery, then a double click (the same button within seconds): one step, one round trip.
    const click = clickId(event);
    const claims = [
      ...(event.deliveryId ? [{ id: event.deliveryId, forMs: DAY_MS }] : []),
      ...(click ? [{ id: click, forMs: DOUBLE_CLICK_MS }] : []),
    ];
    if (claims.length > 0 && (await this.deps.store.claim(event.tenant, claims)) < claims.length) {
      return { replies: [], effects: [] };
    }
    const turn = newTurn(event, this.deps, options.directory);
    const replies = await this.dispatch(turn);
    return { replies, effects: turn.effects };
  }

  private async dispatch(turn: Turn): Promise<Reply[]> {
    const { event } = turn;
    switch (event.type) {
      case "command":
        return this.command(turn, event.name.toLowerCase(), event.args.trim());
      case "message":
        return this.message(turn, event.text);
      case "action":
        return this.action(turn, event.actionId, event.value ?? {});
      case "members":
        return this.members(turn, event);
    }
  }

  private async command(turn: Turn, name: string, args: string): Promise<Reply[]> {
    const { audience } = turn;
    switch (name) {
      case "":
      case "help": {
        const text = helpText(audience);
        return [
          reply(text, [
            { type: "markdown", text },
            { type: "actions", buttons: START_BUTTONS },
          ]),
        ];
      }
      case "setup":
        return this.setup(turn);
      case "assess": {
        const mode = /^quick\b/i.test(args) ? "quick" : "full";
        return this.withTeam(turn, undefined, (team) => startAssessment(turn, team, mode), "assess");
      }
      case "status":
        return this.withTeam(turn, undefined, (team) => statusReply(this.deps, audience, team), "status");
      case "roadmap": {
        const level = /^(?:level\s*)?([1-5])\b/i.exec(args);
        if (args && !level) {
          return [
            privately(
              `${typed(audience, "roadmap")} takes a level from 1 to 5, e.g. ${typed(audience, "roadmap 2")}, or nothing for your team's level.`,
            ),
          ];
        }
        if (level) return roadmapReply(this.deps, audience, undefined, Number(level[1]));
        return roadmapReply(this.deps, audience, await this.contextTeam(turn), undefined);
      }
      case "ask":
        if (!args)
          return [
            reply(
              `Ask me anything about MLOps maturity, e.g. ${typed(audience, "ask how long does level 2 to 3 take?")}`,
            ),
          ];
        return this.ask(turn, args);
      case "lead":
        return this.addLead(turn);
      case "results":
      case "round":
      case "close":
      case "remind":
      case "schedule":
      case "digest":
      case "failures":
      case "snooze":
      case "stop":
      case "start":
        return roundCommand(turn, name, args);
      default: {
        const near = didYouMean(name, COMMANDS);
        const hint = near ? ` Did you mean \`${near}\`?` : "";
        const text = `I don't know the command ${quoted(name.slice(0, 40))}.${hint} These are the ones I know: ${COMMANDS.map((c) => `\`${c}\``).join(", ")}.`;
        return [privately(text)];
      }
    }
  }

  /** Free text: a command word first, otherwise a question for the knowledge base. */
  private async message(turn: Turn, text: string): Promise<Reply[]> {
    const cleaned = text.replace(/^\s*\/?maturity\s+/i, "").trim();
    const [first = "", ...rest] = cleaned.split(/\s+/);
    const word = first.toLowerCase();
    const twoWords = word === "stop" || word === "start";
    if (twoWords && rest[0]?.toLowerCase() !== "nudges") return this.ask(turn, cleaned);
    if (isCommand(word) && (word !== "ask" || rest.length > 0)) {
      return this.command(turn, word, rest.join(" "));
    }
    if (!cleaned) return this.command(turn, "help", "");
    // A mistyped command word on its own ("asses", "staus"): ask rather than search the guides for it.
    const near = rest.length <= 1 ? didYouMean(first, COMMANDS) : undefined;
    if (near) return this.command(turn, first.toLowerCase(), rest.join(" "));
    if (/^(hi|hello|hey|hallo|yo|good (morning|afternoon|evening))\b[!. ]*$/i.test(cleaned)) {
      return this.command(turn, "help", "");
    }
    return this.ask(turn, cleaned);
  }

  private async ask(turn: Turn, question: string, part?: number): Promise<Reply[]> {
    const team = await this.contextTeam(turn);
    const state = team ? await teamState(this.deps, team) : undefined;
    const answer = this.deps.knowledge.answer(question, {
      teamLevel: state?.level,
      teamName: team ? teamLabel(team) : undefined,
      weakest: state?.weakest ?? [],
      ...(part ? { part } : {}),
    });
    turn.effects.push({ type: "knowledge-answered", intent: answer.intent, confidence: answer.confidence });
    return [{ ...answerReply(answer), ...(turn.event.inThread ? { inThread: true } : {}) }];
  }

  private async action(
    turn: Turn,
    actionId: string,
    v: Record<string, string | number | boolean>,
  ): Promise<Reply[]> {
    const action = typeof v.action === "string" ? v.action : "";
    const teamId = typeof v.t === "string" ? v.t : undefined;
    switch (action) {
      case "answer":
      case "back":
      case "skip":
      case "restart":
      case "results": {
        const parsed = parseAssessmentAction(v);
        if (!parsed || (action === "answer" && !actionId.startsWith("answer"))) {
          return [
            privately(
              `That button didn't carry a valid answer. Nothing was changed; run ${typed(turn.audience, "assess")} to continue.`,
            ),
          ];
        }
        if (parsed.action === "restart") {
          const team = await this.memberTeam(turn, parsed.t);
          return team.ok ? startAssessment(turn, team.team, parsed.mode ?? "full", true) : [team.reply];
        }
        // The team, the session and the round in one read: the click path's one round trip before the save.
        const state = await this.deps.store.assessmentClick(
          turn.event.tenant,
          parsed.t,
          parsed.r,
          turn.event.user.id,
        );
        const team = this.member(turn, state.team);
        if (!team.ok) return [team.reply];
        return handleAssessmentAction(turn, team.team, parsed, state);
      }
      case "assess": {
        const mode = v.mode === "quick" ? "quick" : "full";
        return this.withTeam(turn, teamId, (team) => startAssessment(turn, team, mode), "assess");
      }
      case "status":
        return this.withTeam(turn, teamId, (team) => statusReply(this.deps, turn.audience, team), "status");
      case "roadmap": {
        const level = typeof v.level === "number" && v.level >= 1 && v.level <= 5 ? v.level : undefined;
        if (!teamId) return roadmapReply(this.deps, turn.audience, await this.contextTeam(turn), level);
        const team = await this.memberTeam(turn, teamId);
        if (!team.ok) return [team.reply];
        return roadmapReply(this.deps, turn.audience, team.team, level);
      }
      case "retry-failure":
        if (typeof v.id !== "string") break;
        return retryFailure(turn, v.id);
      case "ask":
        if (typeof v.q !== "string" || !v.q.trim()) break;
        return this.ask(
          turn,
          v.q.slice(0, 500),
          typeof v.more === "number" && Number.isInteger(v.more) && v.more > 1
            ? Math.min(v.more, 20)
            : undefined,
        );
    }
    return [
      privately(
        `That button is from an older message and no longer does anything. Type ${typed(turn.audience, "help")} to see what I can do.`,
      ),
    ];
  }

  /** The team a button names, if the clicking user belongs to it (in this tenant). */
  private async memberTeam(
    turn: Turn,
    teamId: string,
  ): Promise<{ ok: true; team: Team } | { ok: false; reply: Reply }> {
    return this.member(turn, await this.deps.store.getTeam(turn.event.tenant, teamId));
  }

  private member(turn: Turn, team: Team | undefined): { ok: true; team: Team } | { ok: false; reply: Reply } {
    if (!team) {
      return {
        ok: false,
        reply: privately(
          `That team no longer exists. Run ${typed(turn.audience, "setup")} in its channel to register it again.`,
        ),
      };
    }
    if (!team.members.includes(turn.event.user.id)) {
      return {
        ok: false,
        reply: privately(`You're not a member of ${teamLabel(team)}, so that button does nothing for you.`),
      };
    }
    return { ok: true, team };
  }

  private async setup(turn: Turn): Promise<Reply[]> {
    const { event, audience } = turn;
    if (event.channel.kind === "dm") {
      return [
        reply(
          `Run ${typed(audience, "setup")} in your team's channel: the channel becomes the team and its members the team's members.`,
        ),
      ];
    }
    let members: string[];
    try {
      members = turn.directory ? await turn.directory.channelMembers(event.channel.id) : [event.user.id];
    } catch (error) {
      if (error instanceof NotInChannelError) {
        return [
          privately(
            `I'm not in this channel yet, so I can't see its members. Add me to the channel first, then run ${typed(audience, "setup")} again.`,
          ),
        ];
      }
      // The chat platform failed, not our storage: say so, change nothing.
      throw new BotError(
        "platform_unavailable",
        `I couldn't read this channel's member list just now. Nothing was changed; please run ${typed(audience, "setup")} again in a minute.`,
        false,
        { cause: error },
      );
    }
    if (!members.includes(event.user.id)) members.push(event.user.id);
    // Reminders wait for each member's working hours: keep the time zones the platform knows.
    const zones = await turn.directory?.timezones?.(members).catch(() => ({}));
    if (zones) await this.deps.store.setTimezones(event.tenant, zones);
    if (members.length > MAX_TEAM_MEMBERS) return [tooLarge(members.length)];
    const { store, clock, defaultTimezone } = this.deps;
    const { team, created } = await store.createTeam({
      id: event.channel.id,
      tenant: event.tenant,
      platform: event.platform,
      name: event.channel.name,
      timezone: event.timezone ?? defaultTimezone,
      leads: [event.user.id],
      members,
      createdAt: clock.now().toISOString(),
      createdBy: event.user.id,
    });
    if (!created) {
      let updated: Team;
      try {
        updated = (await store.setMembers(event.tenant, team.id, members)) ?? team;
      } catch (error) {
        if (error instanceof TeamTooLargeError) return [tooLarge(error.members)];
        throw error;
      }
      turn.effects.push({
        type: "members-changed",
        tenant: event.tenant,
        teamId: team.id,
        joined: [],
        left: [],
      });
      const text = `${teamLabel(updated)} is already a team (${updated.members.length} members, lead${updated.leads.length > 1 ? "s" : ""}: ${updated.leads.map((l) => mentionToken(l)).join(", ")}). I refreshed its member list.`;
      return [privately(text)];
    }
    turn.effects.push({ type: "team-registered", tenant: event.tenant, teamId: team.id });
    const text =
      `${teamLabel(team)} is now a team with ${team.members.length} member${team.members.length === 1 ? "" : "s"}; ${mentionToken(event.user.id)} is its lead.\n\n` +
      "Everyone: take this quarter's assessment (about 5 minutes, in a direct message; your answers stay private). " +
      (team.members.length < 3
        ? `With ${team.members.length} member${team.members.length === 1 ? "" : "s"}, the channel sees participation only, so that no one's answers can be worked out.`
        : "The channel sees the team's combined result once 3 members have answered.");
    return [
      reply(text, [
        { type: "markdown", text },
        { type: "actions", buttons: START_BUTTONS.map((b) => ({ ...b, value: { ...b.value, t: team.id } })) },
      ]),
    ];
  }

  private async addLead(turn: Turn): Promise<Reply[]> {
    const lead = await leadTeam(turn, "lead @someone");
    if (!lead.ok) return [lead.reply];
    const { team } = lead;
    const mentioned =
      turn.event.type === "command" || turn.event.type === "message" ? turn.event.mentions : [];
    const user = mentioned[0]?.id;
    if (!user) return [privately(`Say who: ${typed(turn.audience, "lead @someone")}.`)];
    if (!team.members.includes(user)) {
      return [privately(`${mentionToken(user)} is not a member of ${teamLabel(team)}.`)];
    }
    if (!team.leads.includes(user)) {
      await this.deps.store.updateTeam(team.tenant, team.id, (t) => ({
        ...t,
        leads: t.leads.includes(user) ? t.leads : [...t.leads, user],
      }));
      turn.effects.push({ type: "team-changed", tenant: team.tenant, teamId: team.id, what: "leads" });
    }
    return [reply(`${mentionToken(user)} is now a lead of ${teamLabel(team)}.`)];
  }

  private async members(turn: Turn, event: Extract<ChatEvent, { type: "members" }>): Promise<Reply[]> {
    const team = await this.deps.store.getTeam(event.tenant, event.channel.id);
    if (!team) return [];
    const joined = event.change === "joined" ? event.members : [];
    const left = event.change === "left" ? event.members : [];
    // Nobody to tell of a join past the limit: it is refused (the error reaches the adapter's log)
    // and the team stays as it was.
    await this.deps.store.changeMembers(event.tenant, team.id, joined, left);
    turn.effects.push({ type: "members-changed", tenant: event.tenant, teamId: team.id, joined, left });
    return [];
  }

  /** The team a command is about: this channel's, the one a button names, or the user's only team. */
  private async withTeam(
    turn: Turn,
    teamId: string | undefined,
    run: (team: Team) => Promise<Reply[]>,
    command: "assess" | "status",
  ): Promise<Reply[]> {
    const { store } = this.deps;
    const { event, audience } = turn;
    if (teamId) {
      const team = await this.memberTeam(turn, teamId);
      return team.ok ? run(team.team) : [team.reply];
    }
    if (event.channel.kind === "channel") {
      const team = await store.getTeam(event.tenant, event.channel.id);
      if (!team) {
        return [
          privately(
            `This channel isn't a team yet. Run ${typed(audience, "setup")} here to register it; you'll become its lead.`,
          ),
        ];
      }
      // Whoever is in the channel is a member, even if the join event never reached us.
      if (!team.members.includes(event.user.id)) {
        try {
          await store.changeMembers(event.tenant, team.id, [event.user.id], []);
        } catch (error) {
          if (error instanceof TeamTooLargeError) return [tooLarge(error.members)];
          throw error;
        }
        team.members.push(event.user.id);
        turn.effects.push({
          type: "members-changed",
          tenant: event.tenant,
          teamId: team.id,
          joined: [event.user.id],
          left: [],
        });
      }
      return run(team);
    }
    const teams = await store.teamsOf(event.tenant, event.user.id);
    if (teams.length === 1) return run(teams[0]!);
    if (teams.length === 0) {
      return [
        reply(
          `You're not in a team yet. Ask your lead to run ${typed(audience, "setup")} in your team's channel, or run it there yourself.`,
        ),
      ];
    }
    const text = `You're in ${teams.length} teams. Which one?`;
    const shown = teams.slice(0, 10);
    const labels = distinctLabels(shown);
    return [
      reply(text, [
        { type: "markdown", text },
        {
          type: "actions",
          buttons: shown.map((t, i) => ({
            id: `pick-${command}-${t.id}`.slice(0, 255),
            label: labels[i]!,
            value: { action: command, t: t.id },
          })),
        },
      ]),
    ];
  }

  /** The team the asker speaks for: this channel's team, or their only team. */
  private async contextTeam(turn: Turn): Promise<Team | undefined> {
    const { store } = this.deps;
    const { event } = turn;
    if (event.channel.kind === "channel") {
      const team = await store.getTeam(event.tenant, event.channel.id);
      if (team) return team;
    }
    const teams = await store.teamsOf(event.tenant, event.user.id);
    return teams.length === 1 ? teams[0] : undefined;
  }
}

/**
 * Buttons whose second click finds their question no longer current and says so (an answer is saved once
 * by its compare-and-set): they are left to that guard.
 */
const GUARDED_ACTIONS = new Set(["answer", "back", "skip"]);

/**
 * The identity of a click, for any other button: the same user clicking the same button (id and value)
 * again within DOUBLE_CLICK_MS is one click. A double click arrives as two deliveries with ids of their
 * own, so the delivery id cannot tell.
 */
function clickId(event: ChatEvent): string | undefined {
  if (event.type !== "action" || !event.value || GUARDED_ACTIONS.has(String(event.value.action))) {
    return undefined;
  }
  return `click:${event.user.id}:${event.actionId}:${JSON.stringify(event.value)}`;
}

function tooLarge(members: number): Reply {
  const text = `A team can have at most ${MAX_TEAM_MEMBERS.toLocaleString("en-US")} members, and this channel would have ${members.toLocaleString("en-US")}. Nothing was changed: register a smaller channel as the team.`;
  return { ...reply(text), private: true };
}
