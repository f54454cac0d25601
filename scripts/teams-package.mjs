/**
 * Builds the Teams app package: teams/build/maturity-bot.zip with manifest.json (the app id and host
 * filled in from MICROSOFT_APP_ID and TEAMS_HOST) and two icons drawn here: a 192x192 colour icon and a
 * 32x32 white-on-transparent outline icon (five rising bars: the maturity levels). Node's zlib only.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { crc32, deflateRawSync, deflateSync } from "node:zlib";

const root = path.resolve(import.meta.dirname, "..");
const appId = process.env.MICROSOFT_APP_ID?.trim() || "00000000-0000-0000-0000-000000000000";
const host = (process.env.TEAMS_HOST?.trim() || "maturity.example.com")
  .replace(/^https?:\/\//, "")
  .replace(/\/.*$/, "");
if (!process.env.MICROSOFT_APP_ID) {
  console.warn(
    "MICROSOFT_APP_ID is not set: the package uses a placeholder app id (set it to the Azure Bot's id)",
  );
}
if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) {
  console.error("MICROSOFT_APP_ID must be a GUID (the Azure Bot's Microsoft App ID)");
  process.exit(1);
}

const manifest = readFileSync(path.join(root, "teams/manifest.json"), "utf8")
  .replaceAll("{{MICROSOFT_APP_ID}}", appId)
  .replaceAll("{{HOST}}", host);
JSON.parse(manifest); // fail here, not in Teams, if the template is broken

/** Five rising bars on a square: pixels as RGBA rows. */
function icon(size, { background, bar, margin }) {
  const pixels = Buffer.alloc(size * size * 4);
  const inner = size - 2 * margin;
  const gap = Math.max(1, Math.round(inner / 25));
  const width = Math.floor((inner - 4 * gap) / 5);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let color = background;
      const i = Math.floor((x - margin) / (width + gap));
      const inBar = x >= margin && i < 5 && (x - margin) % (width + gap) < width;
      const height = Math.round((inner * (i + 1)) / 5);
      if (inBar && y >= size - margin - height && y < size - margin) color = bar;
      pixels.set(color, (y * size + x) * 4);
    }
  }
  return png(size, pixels);
}

function png(size, rgba) {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "ascii");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A zip of deflated files (local headers, central directory, end record). */
function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of files) {
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const blue = [0x2f, 0x6f, 0xde, 255];
const white = [255, 255, 255, 255];
const clear = [0, 0, 0, 0];
const out = path.join(root, "teams/build");
mkdirSync(out, { recursive: true });
const target = path.join(out, "maturity-bot.zip");
writeFileSync(
  target,
  zip([
    ["manifest.json", Buffer.from(manifest)],
    ["color.png", icon(192, { background: blue, bar: white, margin: 36 })],
    ["outline.png", icon(32, { background: clear, bar: white, margin: 4 })],
  ]),
);
console.log(`Teams app package: ${path.relative(process.cwd(), target)} (app id ${appId}, host ${host})`);
