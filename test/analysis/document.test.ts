// An open document answers what a fresh analysis of its text answers, edit after edit: the kept
// pre-filter hint, the incremental re-parse and the per-version cache must never show through.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText, AnalyzedDocument, defaultConfig } from '../../server/src/analysis/index';

const config = defaultConfig();
const summary = (a: { skipped: boolean; calls: unknown[]; findings: Array<{ ruleId: string; range: { start: number } }> }) => ({ skipped: a.skipped, calls: a.calls.length, findings: a.findings.map((f) => `${f.ruleId}@${f.range.start}`) });

function assertLikeFresh(doc: AnalyzedDocument, what: string): void {
  assert.deepEqual(summary(doc.analyze(config).analysis), summary(analyzeText(doc.fileName, doc.currentText, config)), what);
}

describe('AnalyzedDocument', () => {
  it('keeps the pre-filter answer only while no edit touches the hint or a character beside it', () => {
    const text = "const a = 1;\nconst http = require('http');\nhttp.get('http://example.com/');\n// end\n";
    const doc = new AnalyzedDocument('doc.js', text);
    assertLikeFresh(doc, 'opened');
    const hint = text.indexOf("'http'");
    // Far before and far after the hint: the text still has it.
    doc.applyEdit(0, 0, '  ');
    assertLikeFresh(doc, 'edit before the hint');
    doc.applyEdit(doc.currentText.length - 1, doc.currentText.length - 1, 'x');
    assertLikeFresh(doc, 'edit after the hint');
    // Breaking the module name, then the quote next to it, then every hint: each answered afresh.
    const at = doc.currentText.indexOf("'http'");
    assert.equal(at, hint + 2);
    doc.applyEdit(at + 1, at + 2, 'x');
    assertLikeFresh(doc, 'edit inside the hint');
    doc.applyEdit(at, at + 1, '');
    assertLikeFresh(doc, 'edit removing the quote');
    doc.setText('const a = 1;\n');
    assert.equal(doc.analyze(config).analysis.skipped, true);
    // A hint typed in after a version without one.
    doc.applyEdit(doc.currentText.length, doc.currentText.length, "require('node:https').get('https://x.example/');\n");
    assertLikeFresh(doc, 'hint added');
    assert.equal(doc.analyze(config).analysis.skipped, false);
  });

  it('matches a fresh analysis after every edit of a typing session, next to and away from the hints', () => {
    const text = "import { request } from 'undici';\n\nexport async function load(url) {\n  const res = await request(url);\n  return res.statusCode;\n}\n";
    const doc = new AnalyzedDocument('session.mjs', text);
    assertLikeFresh(doc, 'opened');
    // Every single-character insertion and deletion at every offset, undone each time.
    for (let at = 0; at <= text.length; at++) {
      doc.applyEdit(at, at, 'x');
      assertLikeFresh(doc, `x typed at ${at}`);
      doc.applyEdit(at, at + 1, '');
      assertLikeFresh(doc, `x deleted at ${at}`);
      if (at < text.length) {
        const removed = doc.currentText[at]!;
        doc.applyEdit(at, at + 1, '');
        assertLikeFresh(doc, `character deleted at ${at}`);
        doc.applyEdit(at, at, removed);
        assertLikeFresh(doc, `character restored at ${at}`);
      }
    }
  });
});
