import { describe, expect, it } from "vitest";
import {
  afterDays,
  cronPattern,
  DEFAULT_SCHEDULE,
  describeLocal,
  isOpeningDue,
  nextOpening,
  nextWorkingTime,
  periodOf,
  type Schedule,
  wallClock,
} from "../../../../src/core/assessment/schedule.js";

const at = (iso: string) => new Date(iso);
const local = (date: Date, zone: string) => {
  const w = wallClock(date, zone);
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")} ${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}`;
};

describe("when rounds open", () => {
  it("opens on the first weekday of each quarter at 09:00 local, with 14 days to answer", () => {
    // 2027-01-01 is a Friday; 2026-08-01 a Saturday, so Q3 2026 opened Wednesday 1 July.
    const q1 = nextOpening(DEFAULT_SCHEDULE, "UTC", at("2026-11-30T12:00:00Z"));
    expect(q1.id).toBe("2027-Q1");
    expect(q1.opensAt.toISOString()).toBe("2027-01-01T09:00:00.000Z");
    expect(q1.deadline.toISOString()).toBe("2027-01-15T09:00:00.000Z");
    // A quarter that starts on a weekend opens on the Monday: 2028-04-01 is a Saturday.
    const weekend = periodOf(DEFAULT_SCHEDULE, "UTC", at("2028-05-10T00:00:00Z"));
    expect(weekend).toMatchObject({ id: "2028-Q2" });
    expect(weekend.opensAt.toISOString()).toBe("2028-04-03T09:00:00.000Z");
  });

  it.each([
    // New York: EST (-5) in January, EDT (-4) from 8 March 2026 to 1 November 2026.
    ["America/New_York", "2026-03-01T00:00:00Z", "2026-04-01T13:00:00.000Z", "2026-04-15T13:00:00.000Z"],
    ["America/New_York", "2026-10-15T00:00:00Z", "2027-01-01T14:00:00.000Z", "2027-01-15T14:00:00.000Z"],
    // Berlin: CET (+1) in winter, CEST (+2) from 29 March 2026 to 25 October 2026.
    ["Europe/Berlin", "2026-03-20T00:00:00Z", "2026-04-01T07:00:00.000Z", "2026-04-15T07:00:00.000Z"],
    ["Europe/Berlin", "2026-09-20T00:00:00Z", "2026-10-01T07:00:00.000Z", "2026-10-15T07:00:00.000Z"],
    // Sydney: summer time (+11) until 5 April 2026, standard (+10) after; quarter starts in its summer.
    ["Australia/Sydney", "2026-03-01T00:00:00Z", "2026-03-31T22:00:00.000Z", "2026-04-14T23:00:00.000Z"],
    ["Australia/Sydney", "2026-11-30T00:00:00Z", "2026-12-31T22:00:00.000Z", "2027-01-14T22:00:00.000Z"],
  ])("in %s after %s opens at %s (09:00 local) and closes at %s", (zone, after, opens, deadline) => {
    const next = nextOpening(DEFAULT_SCHEDULE, zone, at(after));
    expect(next.opensAt.toISOString()).toBe(opens);
    expect(local(next.opensAt, zone)).toMatch(/ 09:00$/);
    expect(next.deadline.toISOString()).toBe(deadline);
    expect(local(next.deadline, zone)).toMatch(/ 09:00$/);
  });

  it("never skips or doubles a quarter across daylight-saving changes", () => {
    for (const zone of ["America/New_York", "Europe/Berlin", "Australia/Sydney", "UTC"]) {
      let cursor = at("2025-12-01T00:00:00Z");
      const ids: string[] = [];
      for (let i = 0; i < 9; i++) {
        const next = nextOpening(DEFAULT_SCHEDULE, zone, cursor);
        ids.push(next.id);
        expect(local(next.opensAt, zone)).toMatch(/ 09:00$/);
        cursor = next.opensAt;
      }
      expect(ids).toEqual([
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
        "2027-Q1",
        "2027-Q2",
        "2027-Q3",
        "2027-Q4",
        "2028-Q1",
      ]);
    }
  });

  it("supports a monthly cadence and another opening time", () => {
    const monthly: Schedule = {
      ...DEFAULT_SCHEDULE,
      cadence: "monthly",
      hour: 14,
      minute: 30,
      windowDays: 7,
    };
    const next = nextOpening(monthly, "Europe/Berlin", at("2026-11-30T12:00:00Z"));
    expect(next.id).toBe("2026-12");
    expect(local(next.opensAt, "Europe/Berlin")).toBe("2026-12-01 14:30");
    expect(local(next.deadline, "Europe/Berlin")).toBe("2026-12-08 14:30");
    expect(cronPattern(monthly)).toBe("30 14 1-3 * *");
    expect(cronPattern(DEFAULT_SCHEDULE)).toBe("0 9 1-3 1,4,7,10 *");
  });

  it("lets a scheduler firing before the first weekday open nothing", () => {
    // 2028-04-01 (Saturday) 09:00 fires the cron, but the quarter opens on Monday the 3rd.
    expect(isOpeningDue(DEFAULT_SCHEDULE, "UTC", at("2028-04-01T09:00:00Z"))).toBe(false);
    expect(isOpeningDue(DEFAULT_SCHEDULE, "UTC", at("2028-04-03T09:00:00Z"))).toBe(true);
  });

  it("adds local days, keeping the local time across a change of offset", () => {
    const before = at("2026-10-20T07:00:00Z"); // 09:00 CEST
    const after = afterDays(before, 14, "Europe/Berlin");
    expect(local(after, "Europe/Berlin")).toBe("2026-11-03 09:00");
    expect(after.toISOString()).toBe("2026-11-03T08:00:00.000Z");
  });
});

describe("working hours", () => {
  it("keeps a time within 09:00-18:00 on a weekday, else waits for the next 09:00 on a weekday", () => {
    const zone = "America/New_York";
    expect(nextWorkingTime(at("2026-12-02T15:00:00Z"), zone).toISOString()).toBe("2026-12-02T15:00:00.000Z");
    // Wednesday 20:00 in New York -> Thursday 09:00.
    expect(local(nextWorkingTime(at("2026-12-03T01:00:00Z"), zone), zone)).toBe("2026-12-03 09:00");
    // Saturday -> Monday 09:00.
    expect(local(nextWorkingTime(at("2026-12-05T15:00:00Z"), zone), zone)).toBe("2026-12-07 09:00");
    // Friday 18:30 -> Monday.
    expect(local(nextWorkingTime(at("2026-12-04T23:30:00Z"), zone), zone)).toBe("2026-12-07 09:00");
  });

  it("describes a time for people, in the zone it is in", () => {
    expect(describeLocal(at("2027-01-15T14:00:00Z"), "America/New_York")).toBe(
      "Fri 15 Jan 2027, 09:00 (America/New_York)",
    );
  });
});
