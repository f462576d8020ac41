// The rule contract's message templates: placeholders filled from the report's data.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatMessage } from '../../server/src/rules/createRule';

it('fills {{placeholders}} from data, tolerating spaces, and leaves unknown ones visible', () => {
  assert.equal(formatMessage('{{api}} has no timeout ({{ ms }} ms)', { api: 'axios.get', ms: 0 }), 'axios.get has no timeout (0 ms)');
  assert.equal(formatMessage('{{missing}} stays', {}), '{{missing}} stays');
  assert.equal(formatMessage('no placeholders'), 'no placeholders');
});
