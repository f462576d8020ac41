// Registers the capture viewer at activation without loading it: the viewer and the capture engine
// (server/src/capture) are dist/capture.js, required when the first capture opens, so they cost
// activation nothing (they were 16% of the client bundle).
import * as vscode from 'vscode';
import { requireBundle } from '../bundles';
import type * as Editor from './editor';

export const CAPTURE_VIEW_TYPE = 'wirelens.capture';

export function registerCaptureEditor(context: vscode.ExtensionContext): vscode.Disposable {
  let provider: Editor.CaptureEditorProvider | undefined;
  const viewer = () => (provider ??= new (requireBundle<typeof Editor>(context.extensionPath, 'capture').CaptureEditorProvider)(context.extensionUri));
  const lazyProvider: vscode.CustomReadonlyEditorProvider<Editor.CaptureDocument> = {
    openCustomDocument: (uri) => viewer().openCustomDocument(uri),
    resolveCustomEditor: (document, panel) => viewer().resolveCustomEditor(document, panel),
  };
  return vscode.window.registerCustomEditorProvider(CAPTURE_VIEW_TYPE, lazyProvider, {
    // The page keeps its selection with setState, so it need not stay alive while hidden.
    webviewOptions: { enableFindWidget: true, retainContextWhenHidden: false },
    supportsMultipleEditorsPerDocument: true,
  });
}
