/**
 * The profile's summary for the status bar: how old it is and how many samples it holds.
 * Pure: reads the text of a profile (the JSON `jitlens record` writes, `docs/profile-format.md`).
 */

/** What the status bar shows of a profile. */
export interface ProfileInfo {
  /** The program's path as given to `jitlens record`. */
  program: string;
  /** Samples taken. */
  samples: number;
  /** When the run ended (or the last snapshot, for a live one), ms since the Unix epoch. */
  endedUnixMs: number;
  /** The JIT mode of the run. */
  jit: string;
  /** True for a snapshot `jitlens record --live` writes while the program still runs. */
  running: boolean;
}

/** A profile that could not be read, and why. */
export interface ProfileError {
  error: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads a profile's text; anything that is not a jitlens profile is an error saying why. */
export function parseProfile(text: string): ProfileInfo | ProfileError {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isRecord(v) || v.format !== "jitlens-profile") {
    return { error: "not a jitlens profile (no \"format\": \"jitlens-profile\")" };
  }
  const run = v.run;
  if (!isRecord(run) || typeof run.samples !== "number" || typeof run.started_unix_ms !== "number") {
    return { error: "the profile has no run.samples or run.started_unix_ms" };
  }
  const duration = typeof run.duration_ms === "number" ? run.duration_ms : 0;
  return {
    program: typeof run.program === "string" ? run.program : "",
    samples: run.samples,
    endedUnixMs: run.started_unix_ms + duration,
    jit: typeof run.jit === "string" ? run.jit : "",
    running: run.running === true,
  };
}

export function isError(p: ProfileInfo | ProfileError): p is ProfileError {
  return "error" in p;
}

/** An age in words: `just now`, `42 s ago`, `5 min ago`, `3 h ago`, `2 days ago`. */
export function formatAge(ageMs: number): string {
  const s = Math.floor(Math.max(0, ageMs) / 1000);
  if (s < 10) return "just now";
  if (s < 60) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/** A sample count with thousands separators: `12,345 samples`, `1 sample`. */
export function formatSamples(n: number): string {
  const digits = Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${digits} ${n === 1 ? "sample" : "samples"}`;
}

/** What the status bar item says. */
export interface StatusText {
  text: string;
  tooltip: string;
}

/** The status bar's text for a profile at `path` (or its absence, or its error) at time `nowMs`. */
export function statusText(
  info: ProfileInfo | ProfileError | undefined,
  path: string,
  nowMs: number,
): StatusText {
  const click = "Click to profile the current file.";
  if (info === undefined) {
    return { text: "$(flame) jitlens: no profile", tooltip: `No profile at ${path}. ${click}` };
  }
  if (isError(info)) {
    return {
      text: "$(warning) jitlens: bad profile",
      tooltip: `Cannot read ${path}: ${info.error}. ${click}`,
    };
  }
  const age = info.running ? "live" : formatAge(nowMs - info.endedUnixMs);
  const program = info.program ? ` of ${info.program}` : "";
  const jit = info.jit ? ` (jit=${info.jit})` : "";
  return {
    text: `$(flame) ${formatSamples(info.samples)} · ${age}`,
    tooltip: `jitlens profile${program}${jit}: ${formatSamples(info.samples)}, recorded ${age}.\n${path}\n${click}`,
  };
}
