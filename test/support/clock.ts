import type { Clock } from "../../src/core/conversation/ports.js";

/** A clock the test moves: starts at a fixed date in 2026-Q4 unless told otherwise. */
export class TestClock implements Clock {
  constructor(public current = new Date("2026-11-20T10:00:00Z")) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}
