import { describe, expect, it } from "vitest";
import { Work } from "../../../../src/adapters/slack/work.js";
import { silentLogger } from "../../../../src/observability/logger.js";

/** The work after an ack: tracked, coalesced per key, and held back when too much of it runs. */
describe("work after the ack", () => {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { open, opened };
  };

  it("admits at once below the high-water mark, and holds an ack until work finishes above it", async () => {
    const work = new Work(silentLogger, 2);
    const first = gate();
    const second = gate();
    await work.admit(); // nothing runs yet
    work.run("a", () => first.opened);
    await work.admit(); // one of two
    work.run("b", () => second.opened);
    let admitted = false;
    const held = work.admit(60_000).then(() => {
      admitted = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(admitted).toBe(false);
    first.open();
    await held;
    expect(admitted).toBe(true);
    second.open();
    await work.idle(1000);
  });

  it("lets a held ack go after its longest wait, even when no work finishes", async () => {
    const work = new Work(silentLogger, 1);
    const never = gate();
    work.run("stuck", () => never.opened);
    const started = Date.now();
    await work.admit(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    never.open();
    await work.idle(1000);
  });

  it("runs a keyed task once for a burst, the latest one winning", async () => {
    const work = new Work(silentLogger);
    const ran: string[] = [];
    for (const n of ["1", "2", "3"]) {
      work.later("home", "T1:U1", 20, async () => {
        ran.push(n);
      });
    }
    await work.idle(1000);
    expect(ran).toEqual(["3"]);
  });
});
