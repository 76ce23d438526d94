/**
 * Finding the `jitlens` binary: the `jitlens.path` setting, else `jitlens` on PATH.
 * Pure apart from the `isExecutable` check it is given, so it is unit-testable.
 */
import * as path from "node:path";

/** How to get a jitlens binary, for the message shown when none is found. */
export const INSTALL_HINT =
  "Build it from a jitlens checkout with `cargo install --path .` (Rust 1.95; puts `jitlens` in ~/.cargo/bin), " +
  "or set `jitlens.path` to a built `target/release/jitlens`.";

/** Where a binary was found, or why none was. */
export type BinaryLookup = { found: string } | { missing: string };

/** Expands `~` and makes a relative path absolute against `base` (a workspace folder, if any). */
export function expandPath(p: string, home: string, base: string | undefined): string {
  let out = p;
  if (out === "~" || out.startsWith("~/")) out = path.join(home, out.slice(1));
  if (!path.isAbsolute(out) && base !== undefined) out = path.join(base, out);
  return out;
}

/** The first directory of `pathEnv` holding an executable `name`. */
export function findOnPath(
  name: string,
  pathEnv: string | undefined,
  isExecutable: (p: string) => boolean,
): string | undefined {
  for (const dir of (pathEnv ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Finds the binary for the `jitlens.path` setting (empty: PATH). */
export function findBinary(
  setting: string,
  env: { PATH?: string; HOME?: string },
  workspaceRoot: string | undefined,
  isExecutable: (p: string) => boolean,
): BinaryLookup {
  const configured = setting.trim();
  if (configured !== "") {
    const p = expandPath(configured, env.HOME ?? "", workspaceRoot);
    if (isExecutable(p)) return { found: p };
    return {
      missing: `jitlens: the binary ${p} set in jitlens.path does not exist or is not executable. ${INSTALL_HINT}`,
    };
  }
  const found = findOnPath("jitlens", env.PATH, isExecutable);
  if (found !== undefined) return { found };
  return { missing: `jitlens: no \`jitlens\` binary on PATH. ${INSTALL_HINT}` };
}
