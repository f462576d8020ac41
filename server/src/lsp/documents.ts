// Open documents: the LSP TextDocument (for positions) beside the analysis's own incremental copy.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DidChangeTextDocumentParams, DidOpenTextDocumentParams } from 'vscode-languageserver/node';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnalyzedDocument } from '../analysis/index';

export interface OpenDocument {
  doc: TextDocument;
  analyzed: AnalyzedDocument;
  /**
   * The last diagnostics report answered in full for this document (pull): its result id and its
   * items as they went on the wire (JSON), which is what the client holds under that id.
   */
  report?: { resultId: string; json: string };
}

/**
 * A file name the parser can use to pick JS/TS/JSX parsing, for any URI scheme. Inside a workspace
 * folder it is relative to that folder, so a project that happens to live under `~/tests/` is not
 * taken for test code.
 */
export function fileNameOf(uri: string, languageId: string, roots: readonly string[] = []): string {
  let name = uri;
  if (uri.startsWith('file:')) {
    try {
      name = fileURLToPath(uri);
      const root = roots.filter((r) => name.startsWith(r.endsWith(path.sep) ? r : r + path.sep)).sort((a, b) => b.length - a.length)[0];
      if (root) name = path.relative(root, name);
    } catch {
      // keep the URI
    }
  }
  if (/\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/i.test(name)) return name;
  const ext = { typescript: '.ts', typescriptreact: '.tsx', javascript: '.js', javascriptreact: '.jsx' }[languageId] ?? '.ts';
  return name + ext;
}

export class Documents {
  private readonly open = new Map<string, OpenDocument>();
  /** Workspace folder paths, for relative file names. */
  roots: string[] = [];

  get(uri: string): OpenDocument | undefined {
    return this.open.get(uri);
  }

  all(): IterableIterator<[string, OpenDocument]> {
    return this.open.entries();
  }

  get size(): number {
    return this.open.size;
  }

  didOpen(p: DidOpenTextDocumentParams): OpenDocument {
    const { uri, languageId, version, text } = p.textDocument;
    const entry = { doc: TextDocument.create(uri, languageId, version, text), analyzed: new AnalyzedDocument(fileNameOf(uri, languageId, this.roots), text) };
    this.open.set(uri, entry);
    return entry;
  }

  /** Applies incremental or full changes; returns undefined for unknown documents or stale versions. */
  didChange(p: DidChangeTextDocumentParams): OpenDocument | undefined {
    const entry = this.open.get(p.textDocument.uri);
    if (!entry) return undefined;
    const version = p.textDocument.version;
    if (version !== null && version !== undefined && version <= entry.doc.version) return undefined;
    let doc = entry.doc;
    for (const change of p.contentChanges) {
      if ('range' in change && change.range) {
        // A range given end first is the same range (as TextDocument.update reads it).
        const from = doc.offsetAt(change.range.start);
        const to = doc.offsetAt(change.range.end);
        const start = Math.min(from, to);
        const end = Math.max(from, to);
        doc = TextDocument.update(doc, [change], version ?? doc.version + 1);
        // The same string for both: a 10,000-line text is put together, and later flattened, once per edit.
        entry.analyzed.applyEdit(start, end, change.text, doc.getText());
      } else {
        doc = TextDocument.update(doc, [change], version ?? doc.version + 1);
        entry.analyzed.setText(change.text);
      }
    }
    entry.doc = doc;
    return entry;
  }

  didClose(uri: string): boolean {
    return this.open.delete(uri);
  }
}
