import * as assert from 'node:assert/strict';
import { DEFAULT_INLINE_TEMPLATE, fillTemplate, replacementFrom } from '../../src/features/inline/logic/prompt';

const values = { instruction: 'Add types', selection: 'function f(a) {}', file: 'src/f.ts', language: 'typescript' };

describe('inline prompt text', () => {
  it('fills ${instruction}, ${selection}, ${file} and ${language}, and never expands a value again', () => {
    assert.equal(fillTemplate(DEFAULT_INLINE_TEMPLATE, values), 'Add types\n\nsrc/f.ts (typescript):\n```typescript\nfunction f(a) {}\n```');
    assert.equal(fillTemplate('${selection}', { ...values, selection: 'x = "${file}"' }), 'Add types\n\nx = "${file}"', 'a template without ${instruction} gets it first');
  });

  it('takes the first fenced block of an answer, without the words around it', () => {
    assert.equal(replacementFrom('Here:\n```ts\nconst a = 1;\n```\nDone.', 'const a = 0;'), 'const a = 1;');
    assert.equal(replacementFrom('~~~~\ncode ``` inside\n~~~~', 'x'), 'code ``` inside');
  });

  it('reads a fence that is still open while the answer streams', () => {
    assert.equal(replacementFrom('```python\ndef f():\n    ret', 'x'), 'def f():\n    ret');
  });

  it('takes the whole answer when there is no fence, and keeps the selection’s trailing newline', () => {
    assert.equal(replacementFrom('\nconst b = 2;\n\n', 'const b = 1;'), 'const b = 2;');
    assert.equal(replacementFrom('```\nline\n```', 'old\n'), 'line\n');
    assert.equal(replacementFrom('```\nline\n```', 'old\r\n'), 'line\r\n');
  });
});
