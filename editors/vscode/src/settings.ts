/**
 * The extension's settings, and what they become for the language server and for
 * `jitlens.profileFile`. Pure: the reader of the configuration is passed in.
 */
import * as path from "node:path";

export const JIT_MODES = ["on", "off", "always"] as const;
export type JitMode = (typeof JIT_MODES)[number];

/** The `jitlens.*` settings. */
export interface Settings {
  /** `jitlens.path`: the binary; empty means PATH. */
  path: string;
  /** `jitlens.profilePath`: relative to the workspace folder, or absolute. */
  profilePath: string;
  /** `jitlens.hints.threshold`, percent. */
  threshold: number;
  /** `jitlens.record.frequency`, Hz; 0 means record's default. */
  frequency: number;
  /** `jitlens.jit`. */
  jit: JitMode;
}

export const DEFAULT_PROFILE = ".jitlens/profile.json";

/** Reads one setting under `jitlens.`; `undefined` when unset. */
export type Get = (key: string) => unknown;

/** The settings, with defaults for missing or ill-typed values. */
export function readSettings(get: Get): Settings {
  const str = (k: string, d: string): string => {
    const v = get(k);
    return typeof v === "string" ? v : d;
  };
  const num = (k: string, d: number): number => {
    const v = get(k);
    return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : d;
  };
  const jit = get("jit");
  return {
    path: str("path", ""),
    profilePath: str("profilePath", DEFAULT_PROFILE).trim() || DEFAULT_PROFILE,
    threshold: num("hints.threshold", 1),
    frequency: Math.floor(num("record.frequency", 0)),
    jit: JIT_MODES.find((m) => m === jit) ?? "on",
  };
}

/** The server's settings (`initializationOptions` and `didChangeConfiguration`). */
export interface ServerSettings {
  profile: string;
  hintThreshold: number;
  jitlensPath?: string;
}

/** What the language server is told; `binary` is the resolved `jitlens.path`. */
export function serverSettings(s: Settings, binary: string | undefined): ServerSettings {
  const out: ServerSettings = { profile: s.profilePath, hintThreshold: s.threshold };
  if (binary !== undefined) out.jitlensPath = binary;
  return out;
}

/** The argument of the server's `jitlens.profileFile` command. */
export interface ProfileFileArgument {
  uri: string;
  jit: JitMode;
  frequency?: number;
}

export function profileFileArgument(uri: string, s: Settings): ProfileFileArgument {
  const arg: ProfileFileArgument = { uri, jit: s.jit };
  if (s.frequency > 0) arg.frequency = s.frequency;
  return arg;
}

/** The profile's absolute path for a workspace folder at `root`. */
export function profileFile(root: string, s: Settings): string {
  return path.resolve(root, s.profilePath);
}

/** The command line of the dashboard terminal: `jitlens top FILE`. */
export function dashboardArgs(file: string): string[] {
  return ["top", file];
}
