/**
 * The language client: starts `<jitlens.path> lsp` for Python files, gives it the settings
 * as `initializationOptions`, and sends `workspace/didChangeConfiguration` when they change.
 */
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from "vscode-languageclient/node";
import { Settings, serverSettings } from "./settings";

export function createClient(
  binary: string,
  root: string,
  settings: Settings,
  output: vscode.OutputChannel,
): LanguageClient {
  const server: ServerOptions = {
    command: binary,
    args: ["lsp"],
    options: { cwd: root },
  };
  const options: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "python" }],
    initializationOptions: serverSettings(settings, binary),
    outputChannel: output,
    // The server's errors are shown by the commands that caused them; a crash is still
    // announced by the client itself.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  return new LanguageClient("jitlens", "jitlens", server, options);
}

/** Tells a running server about new settings. */
export async function sendSettings(
  client: LanguageClient,
  settings: Settings,
  binary: string,
): Promise<void> {
  await client.sendNotification(DidChangeConfigurationNotification.type, {
    settings: serverSettings(settings, binary),
  });
}
