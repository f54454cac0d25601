import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Secrets at rest (OAuth installations hold bot tokens): AES-256-GCM with a key from the environment.
 * Each record names its key's id, so keys rotate: the first key of the ring seals, every key opens.
 */

export interface SealingKey {
  id: string;
  key: Buffer;
}

interface SealedRecord {
  sealed: 1;
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

/**
 * Parses `id:base64,id:base64` (or one bare base64 key, id `k1`). Throws an Error whose message says what
 * is wrong, for the configuration to name the variable.
 */
export function parseKeyring(value: string): SealingKey[] {
  const ring = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part): SealingKey => {
      const colon = part.indexOf(":");
      const id = colon < 0 ? "k1" : part.slice(0, colon);
      const key = Buffer.from(colon < 0 ? part : part.slice(colon + 1), "base64");
      if (!KEY_ID.test(id)) throw new Error(`key id "${id}" must be 1-16 letters, digits, '_' or '-'`);
      if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes in base64`);
      return { id, key };
    });
  if (ring.length === 0) throw new Error("no key given");
  const ids = new Set(ring.map((k) => k.id));
  if (ids.size !== ring.length) throw new Error("two keys share an id");
  return ring;
}

/** Encrypts text with the ring's first key; `context` (e.g. the Redis key) must be the same to open it. */
export function seal(ring: SealingKey[], text: string, context: string): string {
  const { id, key } = ring[0]!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const data = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  const record: SealedRecord = {
    sealed: 1,
    kid: id,
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64"),
  };
  return JSON.stringify(record);
}

export function isSealed(value: unknown): value is SealedRecord {
  return typeof value === "object" && value !== null && (value as { sealed?: unknown }).sealed === 1;
}

/** Decrypts a sealed record; throws a clear error for a key the ring lacks or a wrong or damaged one. */
export function unseal(ring: SealingKey[], record: SealedRecord, context: string, what: string): string {
  const entry = ring.find((k) => k.id === record.kid);
  if (!entry)
    throw new Error(`${what} is sealed with key ${record.kid}, which INSTALLATION_KEY does not have`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", entry.key, Buffer.from(record.iv, "base64"));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(record.tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(record.data, "base64")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new Error(
      `${what} cannot be decrypted with INSTALLATION_KEY ${entry.id}: a wrong key or a damaged record`,
    );
  }
}
