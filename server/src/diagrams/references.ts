// Finds ```diagram fenced blocks in lesson Markdown. The block's only content is a diagram id, the
// file name of media/diagrams/<id>.json. Shared by the lesson renderer and the media test.

export interface DiagramReference {
  id: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Fenced ```diagram / ~~~diagram blocks (CommonMark: up to 3 spaces of indent, fence of 3+). */
export function findDiagramReferences(markdown: string): DiagramReference[] {
  const lines = markdown.split(/\r?\n/);
  const out: DiagramReference[] = [];
  let fence: { marker: string; diagram: boolean; line: number; body: string[] } | undefined;
  lines.forEach((text, i) => {
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence.marker[0] === '`' ? '`' : '~'}{${fence.marker.length},}\\s*$`);
      if (close.test(text)) {
        if (fence.diagram) out.push({ id: fence.body.map((l) => l.trim()).filter(Boolean).join(' '), line: fence.line });
        fence = undefined;
      } else {
        fence.body.push(text);
      }
      return;
    }
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(text);
    if (open) fence = { marker: open[1]!, diagram: open[2] === 'diagram', line: i + 1, body: [] };
  });
  return out;
}
