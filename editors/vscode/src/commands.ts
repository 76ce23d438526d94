/**
 * The commands: Profile Current File, Open Dashboard, Clear Profile, Show Output.
 * Each one says what went wrong in a message; none fails silently.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import * as vscode from "vscode";
import { ExecuteCommandRequest, LanguageClient, WorkDoneProgress } from "vscode-languageclient/node";
import { Settings, dashboardArgs, profileFile, profileFileArgument } from "./settings";

/** The server's command that runs `jitlens record` (`lsp/src/record.rs`). */
const SERVER_PROFILE_FILE = "jitlens.profileFile";

/** What the commands need from the extension. */
export interface Host {
  readonly output: vscode.OutputChannel;
  settings(): Settings;
  /** The workspace folder the server runs in. */
  root(): string;
  /** The binary, or undefined after telling the user it is missing. */
  binary(): string | undefined;
  /** The running client (started if needed), or undefined after telling the user why not. */
  client(): Promise<LanguageClient | undefined>;
  /** Re-reads the profile for the status bar. */
  profileChanged(): Promise<void>;
}

/** The Python file in the active editor, or undefined after saying there is none. */
function currentPythonFile(what: string): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc === undefined || doc.languageId !== "python" || doc.uri.scheme !== "file") {
    void vscode.window.showWarningMessage(`jitlens: open a Python file (saved on disk) to ${what} it.`);
    return undefined;
  }
  return doc;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

let nextToken = 1;

export async function profileCurrentFile(host: Host): Promise<void> {
  const doc = currentPythonFile("profile");
  if (doc === undefined) return;
  const client = await host.client();
  if (client === undefined) return;
  // record runs the file on disk: unsaved edits would make a profile of other text.
  if (doc.isDirty && !(await doc.save())) {
    void vscode.window.showErrorMessage(`jitlens: could not save ${doc.fileName}; not profiling it.`);
    return;
  }
  const name = path.basename(doc.fileName);
  const arg = profileFileArgument(doc.uri.toString(), host.settings());
  host.output.appendLine(`jitlens: profiling ${doc.fileName} (${JSON.stringify(arg)})`);
  const token = `jitlens-profile-${nextToken++}`;
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `jitlens: profiling ${name}` },
      async (progress) => {
        // The server reports record's progress on our token.
        const sub = client.onProgress(WorkDoneProgress.type, token, (v) => {
          if (v.kind !== "end" && v.message !== undefined) progress.report({ message: v.message });
        });
        try {
          await client.sendRequest(ExecuteCommandRequest.type, {
            command: SERVER_PROFILE_FILE,
            arguments: [arg],
            workDoneToken: token,
          });
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (e) {
    host.output.appendLine(`jitlens: profiling ${doc.fileName} failed: ${message(e)}`);
    const choice = await vscode.window.showErrorMessage(
      `jitlens: profiling ${name} failed: ${message(e)}`,
      "Show Output",
    );
    if (choice === "Show Output") host.output.show(true);
    return;
  }
  host.output.appendLine(`jitlens: profiled ${doc.fileName}`);
  await host.profileChanged();
  vscode.window.setStatusBarMessage(`jitlens: profiled ${name}`, 5000);
}

export function openDashboard(host: Host): void {
  const doc = currentPythonFile("open the dashboard on");
  if (doc === undefined) return;
  const binary = host.binary();
  if (binary === undefined) return;
  const terminal = vscode.window.createTerminal({
    name: `jitlens top ${path.basename(doc.fileName)}`,
    shellPath: binary,
    shellArgs: dashboardArgs(doc.fileName),
    cwd: host.root(),
  });
  terminal.show();
}

export async function clearProfile(host: Host): Promise<void> {
  const file = profileFile(host.root(), host.settings());
  try {
    await fs.rm(file);
    host.output.appendLine(`jitlens: removed ${file}`);
    vscode.window.setStatusBarMessage(`jitlens: removed ${file}`, 5000);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      void vscode.window.showInformationMessage(`jitlens: there is no profile at ${file}.`);
    } else {
      void vscode.window.showErrorMessage(`jitlens: cannot remove ${file}: ${message(e)}`);
    }
  }
  // The server notices the file is gone within half a second and clears its hints.
  await host.profileChanged();
}

export function register(host: Host): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("jitlens.profileCurrentFile", () => profileCurrentFile(host)),
    vscode.commands.registerCommand("jitlens.openDashboard", () => openDashboard(host)),
    vscode.commands.registerCommand("jitlens.clearProfile", () => clearProfile(host)),
    vscode.commands.registerCommand("jitlens.showOutput", () => host.output.show(true)),
  ];
}
