import fc from "fast-check";

/**
 * Payloads for property-based tests: mutations of real ones. Each mutation picks a path in the payload and
 * drops it, changes its type, replaces it by null, a huge string or nested junk; several may stack.
 */

type Json = unknown;

const junk: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom("<!channel>", "<!here>", "@everyone", "<at>x</at>", "__proto__", "\u0000", "\u202E", "%00"),
  fc.constant("x".repeat(300_000)),
  fc.jsonValue({ maxDepth: 4 }),
  fc.constant(Object.fromEntries([["__proto__", { polluted: true }]])),
  fc.constant(deep(200)),
);

function deep(depth: number): Json {
  let v: Json = "bottom";
  for (let i = 0; i < depth; i++) v = { a: [v] };
  return v;
}

/** Every path to a value in a JSON payload (the root excluded). */
export function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

type Mutation = { path: (string | number)[]; op: "drop" | "set"; value?: Json };

function apply(payload: Json, m: Mutation): Json {
  const copy = structuredClone(payload) as Record<string | number, Json>;
  let node: Json = copy;
  for (const key of m.path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return copy;
    node = (node as Record<string | number, Json>)[key];
  }
  if (node === null || typeof node !== "object") return copy;
  const last = m.path.at(-1)!;
  if (m.op === "drop") {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete (node as Record<string | number, Json>)[last];
  } else (node as Record<string | number, Json>)[last] = m.value;
  return copy;
}

/** A real payload with one to three mutations. */
export function mutationOf(real: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(real);
  if (paths.length === 0) throw new Error("a payload to mutate needs fields");
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    path: fc.constantFrom(...paths),
    op: fc.constantFrom("drop" as const, "set" as const),
    value: junk,
  });
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => ms.reduce(apply, real));
}

/** The seed the tests use (CI runs the same cases every time); `npm run bench -- fuzz` takes others. */
export const FUZZ_SEED = 20260707;
