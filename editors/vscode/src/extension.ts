/**
 * Activation: wires the settings, the binary, the language client, the commands and the
 * status bar together. The logic lives in the modules it imports.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/node";
import { findBinary } from "./binary";
import { createClient, sendSettings } from "./client";
import * as commands from "./commands";
import { Settings, profileFile, readSettings } from "./settings";
import { ProfileStatus } from "./statusBar";

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

class Extension implements commands.Host, vscode.Disposable {
  readonly output = vscode.window.createOutputChannel("jitlens");
  readonly status = new ProfileStatus("jitlens.profileCurrentFile");
  private running: LanguageClient | undefined;
  private runningBinary: string | undefined;
  private starting: Promise<LanguageClient | undefined> | undefined;

  settings(): Settings {
    const c = vscode.workspace.getConfiguration("jitlens");
    return readSettings((k) => c.get(k));
  }

  root(): string {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder !== undefined && folder.uri.scheme === "file") return folder.uri.fsPath;
    const doc = vscode.window.activeTextEditor?.document;
    if (doc !== undefined && doc.uri.scheme === "file") return path.dirname(doc.uri.fsPath);
    return os.homedir();
  }

  private lookup(): ReturnType<typeof findBinary> {
    return findBinary(this.settings().path, process.env, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, isExecutable);
  }

  binary(): string | undefined {
    const r = this.lookup();
    if ("found" in r) return r.found;
    this.output.appendLine(r.missing);
    void vscode.window.showErrorMessage(r.missing, "Open Settings", "Show Output").then((choice) => {
      if (choice === "Open Settings") void vscode.commands.executeCommand("workbench.action.openSettings", "jitlens.path");
      if (choice === "Show Output") this.output.show(true);
    });
    return undefined;
  }

  client(): Promise<LanguageClient | undefined> {
    if (this.running !== undefined) return Promise.resolve(this.running);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<LanguageClient | undefined> {
    const binary = this.binary();
    if (binary === undefined) return undefined;
    const client = createClient(binary, this.root(), this.settings(), this.output);
    this.output.appendLine(`jitlens: starting ${binary} lsp in ${this.root()}`);
    try {
      await client.start();
    } catch (e) {
      const msg = `jitlens: cannot start ${binary} lsp: ${e instanceof Error ? e.message : String(e)}`;
      this.output.appendLine(msg);
      void vscode.window.showErrorMessage(msg, "Show Output").then((c) => c && this.output.show(true));
      return undefined;
    }
    this.running = client;
    this.runningBinary = binary;
    return client;
  }

  async stop(): Promise<void> {
    const c = this.running;
    this.running = undefined;
    this.runningBinary = undefined;
    if (c !== undefined) await c.stop().catch(() => undefined);
  }

  async configurationChanged(): Promise<void> {
    this.output.appendLine(`jitlens: settings changed: ${JSON.stringify(this.settings())}`);
    this.status.watch(profileFile(this.root(), this.settings()));
    if (this.running === undefined) {
      // Not running (the binary was missing): start once the settings name one that exists.
      if ("found" in this.lookup()) await this.client();
      return;
    }
    const binary = this.binary();
    if (binary !== this.runningBinary) {
      // Another binary is another server.
      await this.stop();
      if (binary !== undefined) await this.client();
      return;
    }
    if (binary !== undefined) await sendSettings(this.running, this.settings(), binary);
  }

  profileChanged(): Promise<void> {
    return this.status.reload();
  }

  dispose(): void {
    void this.stop();
    this.status.dispose();
    this.output.dispose();
  }
}

let ext: Extension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const e = new Extension();
  ext = e;
  context.subscriptions.push(e, ...commands.register(e));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((c) => {
      if (c.affectsConfiguration("jitlens")) void e.configurationChanged();
    }),
  );
  e.status.watch(profileFile(e.root(), e.settings()));
  await e.client();
}

export async function deactivate(): Promise<void> {
  await ext?.stop();
  ext = undefined;
}
