import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import {
  dashboardArgs,
  profileFile,
  profileFileArgument,
  readSettings,
  serverSettings,
} from "../../src/settings";

const from = (o: Record<string, unknown>) => (k: string) => o[k];

describe("readSettings", () => {
  it("has the defaults of package.json", () => {
    assert.deepEqual(readSettings(from({})), {
      path: "",
      profilePath: ".jitlens/profile.json",
      threshold: 1,
      frequency: 0,
      jit: "on",
    });
  });
  it("has the same defaults and jit modes as package.json declares", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "../../../package.json"), "utf8")) as {
      contributes: { configuration: { properties: Record<string, { default: unknown; enum?: string[] }> } };
    };
    const props = manifest.contributes.configuration.properties;
    const declared = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k.replace(/^jitlens\./, ""), v.default]),
    );
    assert.deepEqual(Object.keys(declared).sort(), ["hints.threshold", "jit", "path", "profilePath", "record.frequency"]);
    const s = readSettings(from({}));
    assert.deepEqual(declared, {
      path: s.path,
      profilePath: s.profilePath,
      "hints.threshold": s.threshold,
      "record.frequency": s.frequency,
      jit: s.jit,
    });
    assert.deepEqual(props["jitlens.jit"]?.enum, ["on", "off", "always"]);
  });
  it("reads values and ignores ill-typed ones", () => {
    const s = readSettings(
      from({ path: "/bin/jl", profilePath: "p.json", "hints.threshold": 0.5, "record.frequency": 997.9, jit: "always" }),
    );
    assert.deepEqual(s, { path: "/bin/jl", profilePath: "p.json", threshold: 0.5, frequency: 997, jit: "always" });
    const bad = readSettings(from({ path: 3, profilePath: " ", "hints.threshold": -1, "record.frequency": "x", jit: "sometimes" }));
    assert.deepEqual(bad, readSettings(from({})));
  });
});

describe("what the server is told", () => {
  const s = readSettings(from({ profilePath: "out/p.json", "hints.threshold": 2, "record.frequency": 500, jit: "off" }));
  it("uses the server's setting names (lsp/src/profiles.rs)", () => {
    assert.deepEqual(serverSettings(s, "/bin/jitlens"), {
      profile: "out/p.json",
      hintThreshold: 2,
      jitlensPath: "/bin/jitlens",
    });
    assert.deepEqual(serverSettings(s, undefined), { profile: "out/p.json", hintThreshold: 2 });
  });
  it("passes frequency and jit to jitlens.profileFile, frequency only when set", () => {
    assert.deepEqual(profileFileArgument("file:///w/a.py", s), { uri: "file:///w/a.py", jit: "off", frequency: 500 });
    assert.deepEqual(profileFileArgument("file:///w/a.py", readSettings(from({}))), {
      uri: "file:///w/a.py",
      jit: "on",
    });
  });
  it("resolves the profile against the workspace", () => {
    assert.equal(profileFile("/w", s), "/w/out/p.json");
    assert.equal(profileFile("/w", readSettings(from({ profilePath: "/tmp/p.json" }))), "/tmp/p.json");
  });
  it("runs jitlens top on the file for the dashboard", () => {
    assert.deepEqual(dashboardArgs("/w/a.py"), ["top", "/w/a.py"]);
  });
});
