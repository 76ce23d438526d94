/**
 * The status bar item: the profile's sample count and age (`$(flame) 1,234 samples · 2 min
 * ago`). It follows the profile file and re-reads it when it changes; clicking it profiles
 * the current file again.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import * as vscode from "vscode";
import { ProfileError, ProfileInfo, parseProfile, statusText } from "./profileInfo";

/** How often the age is redrawn even when nothing changed. */
const TICK_MS = 15_000;

export class ProfileStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly timer: NodeJS.Timeout;
  private info: ProfileInfo | ProfileError | undefined;
  private file = "";

  constructor(command: string) {
    this.item = vscode.window.createStatusBarItem("jitlens.profile", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "jitlens profile";
    this.item.command = command;
    this.timer = setInterval(() => this.render(), TICK_MS);
  }

  /** Follows the profile at `file` (absolute). */
  watch(file: string): void {
    if (file === this.file && this.watcher !== undefined) return;
    this.file = file;
    this.watcher?.dispose();
    const pattern = new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file));
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const reload = (): void => void this.reload();
    this.watcher.onDidCreate(reload);
    this.watcher.onDidChange(reload);
    this.watcher.onDidDelete(reload);
    void this.reload();
  }

  /** Reads the profile again. */
  async reload(): Promise<void> {
    const file = this.file;
    let info: ProfileInfo | ProfileError | undefined;
    try {
      info = parseProfile(await fs.readFile(file, "utf8"));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      info = code === "ENOENT" ? undefined : { error: e instanceof Error ? e.message : String(e) };
    }
    if (file === this.file) {
      this.info = info;
      this.render();
    }
  }

  private render(): void {
    const t = statusText(this.info, this.file, Date.now());
    this.item.text = t.text;
    this.item.tooltip = t.tooltip;
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.watcher?.dispose();
    this.item.dispose();
  }
}
