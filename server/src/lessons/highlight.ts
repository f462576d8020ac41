// Code highlighting for lesson code blocks with highlight.js, limited to the languages lessons use
// (the full library is ten times the size). highlight.js escapes the code it wraps in spans.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import http from 'highlight.js/lib/languages/http';
import ini from 'highlight.js/lib/languages/ini';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import plaintext from 'highlight.js/lib/languages/plaintext';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import yaml from 'highlight.js/lib/languages/yaml';

hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('javascript', javascript);
hljs.registerLanguage('json', json);
hljs.registerLanguage('bash', bash);
hljs.registerLanguage('shell', shell);
hljs.registerLanguage('http', http);
hljs.registerLanguage('ini', ini);
hljs.registerLanguage('sql', sql);
hljs.registerLanguage('yaml', yaml);
hljs.registerLanguage('plaintext', plaintext);
hljs.registerAliases(['sh', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['console'], { languageName: 'shell' });
hljs.registerAliases(['text', 'txt'], { languageName: 'plaintext' });
hljs.registerAliases(['sysctl', 'conf'], { languageName: 'ini' });

export const HIGHLIGHT_LANGUAGES: readonly string[] = hljs.listLanguages();

/** Highlighted HTML for `code`; unknown or missing languages come back escaped, unhighlighted. */
export function highlightCode(code: string, lang: string): { html: string; language?: string } {
  const language = lang && hljs.getLanguage(lang) ? lang.toLowerCase() : undefined;
  if (!language) return { html: hljs.highlight(code, { language: 'plaintext', ignoreIllegals: true }).value };
  return { html: hljs.highlight(code, { language, ignoreIllegals: true }).value, language };
}
