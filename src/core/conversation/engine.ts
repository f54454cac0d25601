import { didYouMean } from "../knowledge/chat.js";
import { literal, mentionToken, type Reply, reply } from "../reply.js";
import { handleAssessmentAction, parseAssessmentAction, stale, startAssessment } from "./assessment-flow.js";
import { type Directory, type EngineDeps, NotInChannelError, type Turn } from "./context.js";
import { type ChatEvent, type ChatEventInput, chatEventSchema } from "./events.js";
import type { Team } from "./ports.js";
import { answerReply, roadmapReply, statusReply, teamState } from "./team-views.js";
import { COMMANDS, helpText, isCommand, START_BUTTONS } from "./texts.js";
import { teamLabel } from "./views.js";

export interface HandleOptions {
  directory?: Directory;
}

/**
 * The one place that decides what the bot does. Input: a normalised event from any adapter.
 * Output: replies in the reply model. Never throws on bad input: it answers with a clear message.
 */
export class ConversationEngine {
  constructor(readonly deps: EngineDeps) {}

  async handle(input: ChatEventInput | unknown, options: HandleOptions = {}): Promise<Reply[]> {
    const parsed = chatEventSchema.safeParse(input);
    if (!parsed.success) {
      return [
        {
          ...reply("Sorry, I couldn't read that request. Nothing was changed; please try again."),
          private: true,
        },
      ];
    }
    const event = parsed.data;
    try {
      if (event.deliveryId && !(await this.deps.store.claimDelivery(event.tenant, event.deliveryId))) {
        return [];
      }
      const started = performance.now();
      const replies = await this.dispatch({ event, directory: options.directory, deps: this.deps });
      this.deps.hooks?.handled?.(event, (performance.now() - started) / 1000);
      return replies;
    } catch (error) {
      this.deps.onError?.(error, event);
      const text =
        "Sorry, I couldn't finish that: my storage isn't answering right now. Everything you answered before is saved; please try again in a minute.";
      return [{ ...reply(text), private: true }];
    }
  }

  private async dispatch(turn: Turn): Promise<Reply[]> {
    const { event } = turn;
    switch (event.type) {
      case "command":
        return this.command(turn, event.name.toLowerCase(), event.args.trim());
      case "message":
        return this.message(turn, event.text);
      case "action":
        return this.action(turn, event.actionId, event.value);
      case "members":
        return this.members(event);
    }
  }

  private async command(turn: Turn, name: string, args: string): Promise<Reply[]> {
    const prefix = turn.event.platform === "slack" ? "/maturity " : "";
    switch (name) {
      case "":
      case "help":
        return [
          reply(helpText(prefix), [
            { type: "markdown", text: helpText(prefix) },
            { type: "actions", buttons: START_BUTTONS },
          ]),
        ];
      case "setup":
        return this.setup(turn);
      case "assess": {
        const mode = /^quick\b/i.test(args) ? "quick" : "full";
        return this.withTeam(turn, undefined, (team) => startAssessment(turn, team, mode), "assess");
      }
      case "status":
        return this.withTeam(turn, undefined, (team) => statusReply(turn, team), "status");
      case "roadmap": {
        const level = /^(?:level\s*)?([1-5])\b/i.exec(args);
        if (args && !level) {
          return [
            {
              ...reply(
                "`roadmap` takes a level from 1 to 5, e.g. `roadmap 2`, or nothing for your team's level.",
              ),
              private: true,
            },
          ];
        }
        if (level) return roadmapReply(turn, undefined, Number(level[1]));
        const team = await this.contextTeam(turn);
        return roadmapReply(turn, team, undefined);
      }
      case "ask":
        if (!args)
          return [
            reply(
              `Ask me anything about MLOps maturity, e.g. \`${prefix}ask how long does level 2 to 3 take?\``,
            ),
          ];
        return this.ask(turn, args);
      case "lead":
        return this.addLead(turn, args);
      default: {
        const near = didYouMean(name, COMMANDS);
        const hint = near ? ` Did you mean \`${near}\`?` : "";
        const text = `I don't know the command \`${literal(name.slice(0, 40))}\`.${hint} These are the ones I know: ${COMMANDS.map((c) => `\`${c}\``).join(", ")}.`;
        return [{ ...reply(text), private: true }];
      }
    }
  }

  /** Free text: a command word first, otherwise a question for the knowledge base. */
  private async message(turn: Turn, text: string): Promise<Reply[]> {
    const cleaned = text
      .replace(/<@[^>]+>/g, "")
      .replace(/^\s*\/?maturity\s+/i, "")
      .trim();
    const [first = "", ...rest] = cleaned.split(/\s+/);
    if (isCommand(first.toLowerCase()) && (first.toLowerCase() !== "ask" || rest.length > 0)) {
      return this.command(turn, first.toLowerCase(), rest.join(" "));
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
    const state = team ? await teamState(turn, team) : undefined;
    const answer = this.deps.knowledge.answer(question, {
      teamLevel: state?.level,
      teamName: team ? teamLabel(team) : undefined,
      ...(part ? { part } : {}),
    });
    return [{ ...answerReply(answer), inThread: turn.event.inThread }];
  }

  private async action(turn: Turn, actionId: string, value: unknown): Promise<Reply[]> {
    const v = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
    const action = typeof v.action === "string" ? v.action : "";
    const teamId = typeof v.t === "string" ? v.t : undefined;
    switch (action) {
      case "answer":
      case "back":
      case "skip":
      case "restart":
      case "results": {
        const parsed = parseAssessmentAction(value);
        if (!parsed || (action === "answer" && !actionId.startsWith("answer"))) {
          return [
            stale("That button didn't carry a valid answer. Nothing was changed; run `assess` to continue."),
          ];
        }
        const team = await this.deps.store.getTeam(turn.event.tenant, parsed.t);
        if (!team)
          return [stale("That team no longer exists. Run `setup` in its channel to register it again.")];
        return handleAssessmentAction(turn, team, parsed);
      }
      case "assess": {
        const mode = v.mode === "quick" ? "quick" : "full";
        return this.withTeam(turn, teamId, (team) => startAssessment(turn, team, mode), "assess");
      }
      case "status":
        return this.withTeam(turn, teamId, (team) => statusReply(turn, team), "status");
      case "roadmap": {
        const level = typeof v.level === "number" && v.level >= 1 && v.level <= 5 ? v.level : undefined;
        const team = teamId
          ? await this.deps.store.getTeam(turn.event.tenant, teamId)
          : await this.contextTeam(turn);
        return roadmapReply(turn, team, level);
      }
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
      stale(
        "That button is from an older message and no longer does anything. Type `help` to see what I can do.",
      ),
    ];
  }

  private async setup(turn: Turn): Promise<Reply[]> {
    const { event } = turn;
    if (event.channel.kind === "dm") {
      return [
        reply(
          "Run `setup` in your team's channel: the channel becomes the team and its members the team's members.",
        ),
      ];
    }
    let members: string[];
    try {
      members = turn.directory ? await turn.directory.channelMembers(event.channel.id) : [event.user.id];
    } catch (error) {
      if (error instanceof NotInChannelError) {
        return [
          {
            ...reply(
              "I'm not in this channel yet, so I can't see its members. Add me first (for example `/invite @maturity-bot`), then run `setup` again.",
            ),
            private: true,
          },
        ];
      }
      // The chat platform failed, not our storage: say so, change nothing.
      this.deps.onError?.(error, event);
      return [
        {
          ...reply(
            "I couldn't read this channel's member list just now. Nothing was changed; please run `setup` again in a minute.",
          ),
          private: true,
        },
      ];
    }
    if (!members.includes(event.user.id)) members.push(event.user.id);
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
      const updated = (await store.setMembers(event.tenant, team.id, members)) ?? team;
      const text = `${teamLabel(updated)} is already a team (${updated.members.length} members, lead${updated.leads.length > 1 ? "s" : ""}: ${updated.leads.map((l) => mentionToken(l)).join(", ")}). I refreshed its member list.`;
      return [{ ...reply(text), private: true }];
    }
    const text =
      `${teamLabel(team)} is now a team with ${team.members.length} member${team.members.length === 1 ? "" : "s"}; ${mentionToken(event.user.id)} is its lead.\n\n` +
      "Everyone: take this quarter's assessment (about 5 minutes, in a direct message; your answers stay private). " +
      `The channel sees the team's combined level once ${team.members.length < 3 ? `all ${team.members.length} members have` : "3 members have"} answered.`;
    return [
      reply(text, [
        { type: "markdown", text },
        { type: "actions", buttons: START_BUTTONS.map((b) => ({ ...b, value: { ...b.value, t: team.id } })) },
      ]),
    ];
  }

  private async addLead(turn: Turn, args: string): Promise<Reply[]> {
    const team = await this.contextTeam(turn);
    if (!team) return [{ ...reply("Run `lead` in your team's channel."), private: true }];
    if (!team.leads.includes(turn.event.user.id)) {
      return [{ ...reply(`Only a lead of ${teamLabel(team)} can add leads.`), private: true }];
    }
    const id = /<@([A-Za-z0-9._:-]+)(?:\|[^>]*)?>|@?([A-Za-z0-9._:-]+)/.exec(args);
    const user = id?.[1] ?? id?.[2];
    if (!user) return [{ ...reply("Say who: `lead @someone`."), private: true }];
    if (!team.members.includes(user)) {
      return [{ ...reply(`${literal(user)} is not a member of ${teamLabel(team)}.`), private: true }];
    }
    if (!team.leads.includes(user)) await this.deps.store.saveTeam({ ...team, leads: [...team.leads, user] });
    return [reply(`${mentionToken(user)} is now a lead of ${teamLabel(team)}.`)];
  }

  private async members(event: Extract<ChatEvent, { type: "members" }>): Promise<Reply[]> {
    const team = await this.deps.store.getTeam(event.tenant, event.channel.id);
    if (!team) return [];
    await this.deps.store.changeMembers(
      event.tenant,
      team.id,
      event.change === "joined" ? event.members : [],
      event.change === "left" ? event.members : [],
    );
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
    const { event } = turn;
    if (teamId) {
      const team = await store.getTeam(event.tenant, teamId);
      if (!team)
        return [stale("That team no longer exists. Run `setup` in its channel to register it again.")];
      if (!team.members.includes(event.user.id))
        return [{ ...reply(`You're not a member of ${teamLabel(team)}.`), private: true }];
      return run(team);
    }
    if (event.channel.kind === "channel") {
      const team = await store.getTeam(event.tenant, event.channel.id);
      if (!team) {
        return [
          {
            ...reply(
              "This channel isn't a team yet. Run `setup` here to register it; you'll become its lead.",
            ),
            private: true,
          },
        ];
      }
      // Whoever is in the channel is a member, even if the join event never reached us.
      if (!team.members.includes(event.user.id)) {
        await store.changeMembers(event.tenant, team.id, [event.user.id], []);
        team.members.push(event.user.id);
      }
      return run(team);
    }
    const teams = await store.teamsOf(event.tenant, event.user.id);
    if (teams.length === 1) return run(teams[0]!);
    if (teams.length === 0) {
      return [
        reply(
          "You're not in a team yet. Ask your lead to run `setup` in your team's channel, or run it there yourself.",
        ),
      ];
    }
    const text = `You're in ${teams.length} teams. Which one?`;
    return [
      reply(text, [
        { type: "markdown", text },
        {
          type: "actions",
          buttons: teams.slice(0, 10).map((t) => ({
            id: `pick-${command}-${t.id}`.slice(0, 255),
            label: teamLabel(t),
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
