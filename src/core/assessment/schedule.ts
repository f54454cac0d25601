/**
 * When a team's rounds open and close, as pure functions of a schedule, an IANA time zone and an instant.
 * Wall-clock times are converted with the zone's offset at that moment, so daylight-saving changes move
 * the UTC instant, never the local 09:00.
 */

export type Cadence = "quarterly" | "monthly";

export interface Schedule {
  cadence: Cadence;
  /** Local opening time. */
  hour: number;
  minute: number;
  /** Days members have to answer. */
  windowDays: number;
  /** Days after opening on which members who have not completed are reminded. */
  reminderDays: number[];
}

export const DEFAULT_SCHEDULE: Schedule = {
  cadence: "quarterly",
  hour: 9,
  minute: 0,
  windowDays: 14,
  reminderDays: [3, 7],
};

/** A calendar period of a cadence: its round id ("2026-Q4", "2026-11") and scheduled bounds. */
export interface Period {
  id: string;
  opensAt: Date;
  deadline: Date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 Sunday .. 6 Saturday. */
  weekday: number;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The local date and time of an instant in a time zone. */
export function wallClock(date: Date, timeZone: string): WallClock {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(date)) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS.indexOf(out.weekday ?? ""),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(date: Date, timeZone: string): number {
  const w = wallClock(date, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/** The instant at which a zone's clocks show a local time (the later reading inside a skipped hour). */
export function zonedTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall - offsetAt(new Date(wall), timeZone);
  for (let i = 0; i < 3; i++) {
    const next = wall - offsetAt(new Date(guess), timeZone);
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

/** 1-based month that starts the period containing a month. */
function periodStartMonth(cadence: Cadence, month: number): number {
  return cadence === "quarterly" ? Math.floor((month - 1) / 3) * 3 + 1 : month;
}

export function periodId(cadence: Cadence, year: number, startMonth: number): string {
  return cadence === "quarterly"
    ? `${year}-Q${Math.ceil(startMonth / 3)}`
    : `${year}-${String(startMonth).padStart(2, "0")}`;
}

/** First Monday-to-Friday day of a month. */
function firstWeekday(year: number, month: number): number {
  for (let day = 1; day <= 3; day++) {
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    if (weekday >= 1 && weekday <= 5) return day;
  }
  return 1;
}

function addDaysLocal(date: Date, days: number, timeZone: string): Date {
  const w = wallClock(date, timeZone);
  const shifted = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return zonedTime(
    shifted.getUTCFullYear(),
    shifted.getUTCMonth() + 1,
    shifted.getUTCDate(),
    w.hour,
    w.minute,
    timeZone,
  );
}

/** `days` local days after an instant, at the same local time. */
export function afterDays(date: Date, days: number, timeZone: string): Date {
  return addDaysLocal(date, days, timeZone);
}

function periodAt(schedule: Schedule, timeZone: string, year: number, startMonth: number): Period {
  const day = firstWeekday(year, startMonth);
  const opensAt = zonedTime(year, startMonth, day, schedule.hour, schedule.minute, timeZone);
  return {
    id: periodId(schedule.cadence, year, startMonth),
    opensAt,
    deadline: addDaysLocal(opensAt, schedule.windowDays, timeZone),
  };
}

/** The period (quarter or month, in the team's zone) that contains an instant. */
export function periodOf(schedule: Schedule, timeZone: string, at: Date): Period {
  const w = wallClock(at, timeZone);
  return periodAt(schedule, timeZone, w.year, periodStartMonth(schedule.cadence, w.month));
}

/** The first scheduled opening strictly after an instant. */
export function nextOpening(schedule: Schedule, timeZone: string, after: Date): Period {
  const current = periodOf(schedule, timeZone, after);
  if (current.opensAt.getTime() > after.getTime()) return current;
  const w = wallClock(after, timeZone);
  const step = schedule.cadence === "quarterly" ? 3 : 1;
  const start = periodStartMonth(schedule.cadence, w.month) + step;
  return periodAt(schedule, timeZone, start > 12 ? w.year + 1 : w.year, start > 12 ? start - 12 : start);
}

/**
 * A cron pattern (read in the team's zone) that fires at the local opening time on the first three days
 * of each period's first month: the first weekday is one of them. Cron ORs day-of-month with day-of-week,
 * so the weekday test is left to `isOpeningDue`; opening is idempotent per period, so a later firing
 * in the same period opens nothing.
 */
export function cronPattern(schedule: Schedule): string {
  const months = schedule.cadence === "quarterly" ? "1,4,7,10" : "*";
  return `${schedule.minute} ${schedule.hour} 1-3 ${months} *`;
}

/** Whether a scheduler firing at `at` should open its period's round (it is the opening time or later). */
export function isOpeningDue(schedule: Schedule, timeZone: string, at: Date): boolean {
  return at.getTime() >= periodOf(schedule, timeZone, at).opensAt.getTime() - 60_000;
}

/** Whether an instant is within working hours (09:00-18:00, Monday to Friday) in a zone. */
export function inWorkingHours(at: Date, timeZone: string): boolean {
  const w = wallClock(at, timeZone);
  return w.weekday >= 1 && w.weekday <= 5 && w.hour >= 9 && w.hour < 18;
}

/** The instant itself when it is within working hours, else the next 09:00 on a weekday. */
export function nextWorkingTime(at: Date, timeZone: string): Date {
  if (inWorkingHours(at, timeZone)) return at;
  const w = wallClock(at, timeZone);
  for (let add = w.hour < 9 ? 0 : 1; add < 8; add++) {
    const d = new Date(Date.UTC(w.year, w.month - 1, w.day + add));
    const weekday = d.getUTCDay();
    if (weekday >= 1 && weekday <= 5) {
      return zonedTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 9, 0, timeZone);
    }
  }
  return at;
}

/** "Nov": made once (toLocaleString makes a formatter on every call, about 0.1 ms each). */
const MONTH = new Intl.DateTimeFormat("en-GB", { month: "short", timeZone: "UTC" });

/** "Mon 5 Jan 2026, 09:00 (Europe/Berlin)". */
export function describeLocal(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  const month = MONTH.format(new Date(Date.UTC(w.year, w.month - 1, 1)));
  const hh = String(w.hour).padStart(2, "0");
  const mm = String(w.minute).padStart(2, "0");
  return `${WEEKDAYS[w.weekday]} ${w.day} ${month} ${w.year}, ${hh}:${mm} (${timeZone})`;
}
