import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { formatAge, formatSamples, isError, parseProfile, statusText } from "../../src/profileInfo";

/** A profile's text with just the fields the status bar reads (and some it ignores). */
function profile(run: Record<string, unknown>): string {
  return JSON.stringify({ format: "jitlens-profile", version: 1, run, files: [], lines: [] });
}

const RUN = {
  program: "hot.py",
  samples: 12345,
  started_unix_ms: 1_700_000_000_000,
  duration_ms: 2500.5,
  jit: "on",
  running: false,
};

describe("parseProfile", () => {
  it("reads samples, end time, program and jit mode", () => {
    assert.deepEqual(parseProfile(profile(RUN)), {
      program: "hot.py",
      samples: 12345,
      endedUnixMs: 1_700_000_002_500.5,
      jit: "on",
      running: false,
    });
  });

  it("says why a file is not a profile", () => {
    const bad = parseProfile("{ truncated");
    assert.ok(isError(bad) && bad.error.startsWith("not JSON"), JSON.stringify(bad));
    const other = parseProfile(JSON.stringify({ format: "pprof" }));
    assert.ok(isError(other) && other.error.includes("not a jitlens profile"));
    const norun = parseProfile(JSON.stringify({ format: "jitlens-profile", run: { samples: "many" } }));
    assert.ok(isError(norun) && norun.error.includes("run.samples"));
  });
});

describe("formatAge", () => {
  it("uses the largest whole unit", () => {
    assert.equal(formatAge(-5), "just now");
    assert.equal(formatAge(9_999), "just now");
    assert.equal(formatAge(42_000), "42 s ago");
    assert.equal(formatAge(5 * 60_000 + 59_000), "5 min ago");
    assert.equal(formatAge(3 * 3_600_000), "3 h ago");
    assert.equal(formatAge(3 * 86_400_000), "3 days ago");
  });
});

describe("formatSamples", () => {
  it("groups thousands and knows the singular", () => {
    assert.equal(formatSamples(1), "1 sample");
    assert.equal(formatSamples(999), "999 samples");
    assert.equal(formatSamples(1234567), "1,234,567 samples");
  });
});

describe("statusText", () => {
  const path = "/w/.jitlens/profile.json";
  it("shows count and age of a profile", () => {
    const info = parseProfile(profile(RUN));
    const t = statusText(info, path, 1_700_000_002_501 + 120_000);
    assert.equal(t.text, "$(flame) 12,345 samples · 2 min ago");
    assert.match(t.tooltip, /of hot\.py \(jit=on\): 12,345 samples, recorded 2 min ago/);
    assert.match(t.tooltip, /\/w\/\.jitlens\/profile\.json/);
  });
  it("says live for a running snapshot", () => {
    const t = statusText(parseProfile(profile({ ...RUN, running: true })), path, 0);
    assert.equal(t.text, "$(flame) 12,345 samples · live");
  });
  it("says when there is no profile or a bad one", () => {
    assert.equal(statusText(undefined, path, 0).text, "$(flame) jitlens: no profile");
    const bad = statusText({ error: "not JSON" }, path, 0);
    assert.equal(bad.text, "$(warning) jitlens: bad profile");
    assert.match(bad.tooltip, /Cannot read \/w\/\.jitlens\/profile\.json: not JSON/);
  });
});
