/**
 * The stand-in for `jitlens record` that the end-to-end test uses when the binary has no
 * `record` command yet: `node fakeRecord.js [-o OUT] [--freq HZ] [-X jit=MODE] FILE`.
 * It writes a small, valid profile of FILE (with FILE's real SHA-256, so the server
 * matches it to the open document) in which the loop body line `x = x * 0.999 + ...`
 * holds 62% of the samples, run by the JIT.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

function fail(msg: string): never {
  process.stderr.write(`fake jitlens record: ${msg}\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
let out = ".jitlens/profile.json";
let freq = 1000;
let jit = "on";
let file: string | undefined;
while (argv.length > 0 && file === undefined) {
  const a = argv.shift() as string;
  if (a === "-o") out = argv.shift() ?? fail("-o needs a path");
  else if (a === "--freq") freq = Number(argv.shift() ?? fail("--freq needs a number"));
  else if (a === "-X") {
    const x = argv.shift() ?? fail("-X needs an option");
    if (!x.startsWith("jit=")) fail(`unknown -X ${x}`);
    jit = x.slice(4);
  } else if (a.startsWith("-")) fail(`unknown option ${a}`);
  else file = a;
}
if (file === undefined) fail("no FILE");
const abs = path.resolve(file);
const text = fs.readFileSync(abs);
const lines = text.toString("utf8").split("\n");
const body = lines.findIndex((l) => l.includes("x = x * 0.999")) + 1;
if (body === 0) fail(`${file} has no line 'x = x * 0.999 ...'`);

const op = (name: string, tier: number, samples: number) => ({
  op: name,
  tier,
  category: tier === 1 ? "jit" : "interpreter",
  samples,
});
const total = 1000;
const profile = {
  format: "jitlens-profile",
  version: 1,
  run: {
    program: file,
    args: argv,
    cwd: process.cwd(),
    started_unix_ms: Date.now() - 700,
    duration_ms: 700,
    exit_code: 0,
    running: false,
    sampler: "itimer",
    event: "cpu-clock",
    frequency_hz: freq,
    samples: total,
    lost_samples: 0,
    jit,
    jit_threshold: 1000,
    specialize: true,
    jitlens_version: "stand-in",
  },
  files: [{ path: abs, sha256: createHash("sha256").update(text).digest("hex"), line_count: lines.length }],
  functions: [
    { name: "<module>", file: 0, line: 1, self_samples: 10, total_samples: 1000, jit: null },
    { name: "kernel", file: 0, line: body - 3, self_samples: 990, total_samples: 990, jit: null },
  ],
  lines: [
    { file: 0, line: body, function: 1, samples: 620, ops: [op("BINARY_OP_MULTIPLY_FLOAT", 1, 400), op("BINARY_OP_ADD_FLOAT", 1, 220)] },
    { file: 0, line: body - 1, function: 1, samples: 370, ops: [op("FOR_ITER_RANGE", 1, 300), op("FOR_ITER_RANGE", 0, 70)] },
  ],
  stacks: [],
  unattributed: { interpreter: 0, jit: 0, helper: 0, gc: 0, other: 10 },
  timeline: { bucket_ms: 100, buckets: [] },
  jit_events: [],
  sites: [],
  families: [],
  jit: {
    compiled: 1,
    compile_us_median: 50,
    compile_us_max: 50,
    code_bytes: 1000,
    bytecode_bytes: 100,
    call_entries: 1,
    osr_entries: 0,
    side_exits: 0,
    discarded: 0,
  },
};
fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
fs.writeFileSync(out, JSON.stringify(profile) + "\n");
process.stdout.write("1500.15\n");
