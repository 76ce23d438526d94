import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { INSTALL_HINT, expandPath, findBinary, findOnPath } from "../../src/binary";

const exists = (...paths: string[]) => (p: string) => paths.includes(p);

describe("expandPath", () => {
  it("expands ~ and resolves relative paths against the workspace", () => {
    assert.equal(expandPath("~/bin/jitlens", "/home/me", "/w"), "/home/me/bin/jitlens");
    assert.equal(expandPath("target/release/jitlens", "/home/me", "/w"), "/w/target/release/jitlens");
    assert.equal(expandPath("/opt/jitlens", "/home/me", "/w"), "/opt/jitlens");
    assert.equal(expandPath("jitlens", "/home/me", undefined), "jitlens");
  });
});

describe("findOnPath", () => {
  it("takes the first directory that has it and skips empty entries", () => {
    const isExec = exists("/b/jitlens", "/c/jitlens");
    assert.equal(findOnPath("jitlens", "/a::/b:/c", isExec), "/b/jitlens");
    assert.equal(findOnPath("jitlens", "/a", isExec), undefined);
    assert.equal(findOnPath("jitlens", undefined, isExec), undefined);
  });
});

describe("findBinary", () => {
  it("prefers the setting", () => {
    const r = findBinary("~/jl", { PATH: "/b", HOME: "/h" }, "/w", exists("/h/jl", "/b/jitlens"));
    assert.deepEqual(r, { found: "/h/jl" });
  });
  it("falls back to PATH", () => {
    assert.deepEqual(findBinary("  ", { PATH: "/b" }, "/w", exists("/b/jitlens")), { found: "/b/jitlens" });
  });
  it("says how to install it when it is missing", () => {
    const r = findBinary("", { PATH: "/a:/b" }, "/w", exists());
    assert.ok("missing" in r);
    assert.match(r.missing, /no `jitlens` binary on PATH/);
    assert.ok(r.missing.includes("cargo install --path ."));
    const bad = findBinary("bin/jl", { PATH: "/b" }, "/w", exists("/b/jitlens"));
    assert.ok("missing" in bad);
    assert.ok(bad.missing.startsWith("jitlens: the binary /w/bin/jl set in jitlens.path does not exist"));
    assert.ok(bad.missing.endsWith(INSTALL_HINT));
  });
});
