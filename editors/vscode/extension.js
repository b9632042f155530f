// Starts `muster lsp` for the Markdown files of a folder that holds a muster site
// (a site.yaml at its top), through Microsoft's language client library.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

async function activate() {
  const command = vscode.workspace.getConfiguration("muster").get("path") || "muster";
  client = new LanguageClient(
    "muster",
    "muster",
    { command, args: ["lsp"] },
    { documentSelector: [{ scheme: "file", language: "markdown" }] },
  );
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
