import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";

/** The Teams app package as Teams reads it: a zip with the manifest and two PNG icons of the right sizes. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    files.set(name, inflateRawSync(zip.subarray(start, start + size)));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

describe("npm run teams:package", () => {
  it("builds a zip with the manifest (app id and host filled in) and two icons", () => {
    const appId = "3f1c2a6e-1d2b-4c3d-8e4f-5a6b7c8d9e0f";
    execFileSync(process.execPath, ["scripts/teams-package.mjs"], {
      env: { ...process.env, MICROSOFT_APP_ID: appId, TEAMS_HOST: "https://bot.example.org/api/messages" },
      stdio: "pipe",
    });
    const files = unzip(readFileSync("teams/build/maturity-bot.zip"));
    expect([...files.keys()]).toEqual(["manifest.json", "color.png", "outline.png"]);
    const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));
    expect(manifest.id).toBe(appId);
    expect(manifest.bots[0].botId).toBe(appId);
    expect(manifest.bots[0].scopes).toEqual(["personal", "team"]);
    expect(manifest.validDomains).toEqual(["bot.example.org"]);
    expect(JSON.stringify(manifest)).not.toContain("{{");
    const commands = manifest.bots[0].commandLists.flatMap((l: { commands: { title: string }[] }) =>
      l.commands.map((c) => c.title),
    );
    for (const c of ["help", "assess", "status", "roadmap", "ask", "setup", "round start", "close"])
      expect(commands).toContain(c);
    for (const [name, size] of [
      ["color.png", 192],
      ["outline.png", 32],
    ] as const) {
      const png = files.get(name)!;
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
  });

  it("refuses an app id that is not a GUID", () => {
    expect(() =>
      execFileSync(process.execPath, ["scripts/teams-package.mjs"], {
        env: { ...process.env, MICROSOFT_APP_ID: "not-a-guid" },
        stdio: "pipe",
      }),
    ).toThrow(/GUID/);
  });
});
