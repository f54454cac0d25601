import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/**
 * Reads a .env file into env when it exists; a variable already set in the real environment wins.
 * Returns the names it set. Node's --env-file-if-exists needs 22.9+, so this also runs on Node 20.19.
 */
export function loadEnvFile(file = ".env", env: NodeJS.ProcessEnv = process.env): string[] {
  if (!existsSync(file)) return [];
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, "utf8")))) {
    if (env[name] !== undefined || value === undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}
