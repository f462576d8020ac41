// Adding a named import in the file's own module style, or reusing the one already there.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FileModel } from '../../server/src/analysis/fileModel';
import { namedImport } from '../../server/src/analysis/imports';
import { parseFile } from '../../server/src/analysis/parse';
import { applyEdits } from '../rules/ruleTester';

const add = (code: string, file = 'a.ts') => {
  const r = namedImport(new FileModel(parseFile(file, code)), 'stream', 'pipeline');
  return r && { name: r.name, text: r.edit ? applyEdits(code, [r.edit]) : code };
};

it('ES modules get an import after the last import', () => {
  assert.deepEqual(add("import fs from 'fs';\nimport http from 'http';\nrun();"), { name: 'pipeline', text: "import fs from 'fs';\nimport http from 'http';\nimport { pipeline } from 'stream';\nrun();" });
});

it('CommonJS gets a require after the last top-level require, or after the header', () => {
  assert.deepEqual(add("'use strict';\nconst fs = require('fs');\nrun();", 'a.js'), { name: 'pipeline', text: "'use strict';\nconst fs = require('fs');\nconst { pipeline } = require('stream');\nrun();" });
  assert.deepEqual(add("// header\nrun();", 'a.js'), { name: 'pipeline', text: "// header\nconst { pipeline } = require('stream');\nrun();" });
});

it('reuses an existing import of the same export; gives up when the name means something else', () => {
  assert.deepEqual(add("import { pipeline } from 'node:stream';\nrun();"), { name: 'pipeline', text: "import { pipeline } from 'node:stream';\nrun();" });
  assert.deepEqual(add("const { pipeline } = require('stream');\nrun();", 'a.js'), { name: 'pipeline', text: "const { pipeline } = require('stream');\nrun();" });
  assert.equal(add("import { pipeline } from 'node:stream/promises';\nrun();"), undefined);
  assert.equal(add("function pipeline() {}\nrun();"), undefined);
});
