// Entry point of the bundled server (dist/server.js). The transport comes from the command line:
// `--stdio` for other editors, node IPC when VS Code's client starts it.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (process.argv.includes('--version')) {
  process.stdout.write('wirelens-language-server 0.1.0\n');
} else {
  startServer(createConnection(ProposedFeatures.all));
}
