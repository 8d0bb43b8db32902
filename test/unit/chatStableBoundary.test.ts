import * as assert from 'node:assert/strict';
import { isPlainParagraph, paragraphCut, scanBoundary, stableBoundary } from '../../media/chat/stableBoundary';
import { codeTokens, decode, plan } from '../../emulator/modelApis/chatGenerator';

describe('Chat page: stableBoundary', () => {
  it('cuts after the last blank line', () => {
    const text = 'One.\n\nTwo\nthree\n\nFour';
    assert.equal(stableBoundary(text, 0), text.indexOf('Four'));
    assert.equal(stableBoundary('No blank line yet\nstill the same paragraph', 0), 0);
  });

  it('a blank line still being written (no newline yet) is not a cut', () => {
    assert.equal(stableBoundary('One.\n', 0), 0);
    assert.equal(stableBoundary('One.\n   ', 0), 0);
    assert.equal(stableBoundary('One.\n   \n', 0), 'One.\n   \n'.length);
  });

  it('ignores blank lines inside ``` and ~~~ fences, open or closed', () => {
    const open = 'Here:\n\n```ts\na();\n\nb();\n\nc';
    assert.equal(stableBoundary(open, 0), 'Here:\n\n'.length);
    const tilde = 'Here:\n\n~~~\na\n\n```\n\nb\n';
    assert.equal(stableBoundary(tilde, 0), 'Here:\n\n'.length, 'a ``` line does not close a ~~~ fence');
    const longer = '````\n```\n\n````\n\nAfter';
    assert.equal(stableBoundary(longer, 0), longer.indexOf('After'), 'a shorter marker does not close a longer fence');
    const info = '```\na\n``` not a closing fence\n\nstill inside\n';
    assert.equal(stableBoundary(info, 0), 0, 'a closing fence has nothing after its marker');
  });

  it('a closed fence opened at the margin is a cut; an indented one waits for a blank line', () => {
    const closed = 'Intro\n```js\nx();\n\ny();\n```\nMore';
    assert.equal(stableBoundary(closed, 0), closed.indexOf('More'));
    const indented = '- item\n\n  ```js\n  x();\n\n  ```\n  more';
    assert.equal(stableBoundary(indented, 0), '- item\n\n'.length);
    assert.equal(stableBoundary(`${indented}\n\nAfter`, 0), `${indented}\n\n`.length);
  });

  it('fences indented up to three spaces count; four spaces is indented code, not a fence', () => {
    assert.equal(stableBoundary('   ```\na\n\nb', 0), 0);
    assert.equal(stableBoundary('    ```\na\n\nb', 0), '    ```\na\n\n'.length);
  });

  it('a backtick line with a backtick in its info string is inline code, not a fence', () => {
    const text = '```a` b\n\nAfter';
    assert.equal(stableBoundary(text, 0), text.indexOf('After'));
  });

  it('scans from `from`, and resumes a scan incrementally with the same answer', () => {
    const text = 'A\n\nB\n\n```py\nx = 1\n\ny = 2\n```\nC\n\nD';
    assert.equal(stableBoundary(text, text.indexOf('B')), stableBoundary(text, 0));
    let scan = scanBoundary('', 0);
    for (let end = 1; end <= text.length; end++) {
      scan = scanBoundary(text.slice(0, end), scan);
      assert.equal(scan.boundary, stableBoundary(text.slice(0, end), 0), `at ${end}`);
    }
  });

  it('reports the fence open at the end: its marker, indent, and where its content starts', () => {
    const text = 'Intro\n\n  ~~~~ python\n  x = 1\n  y';
    const scan = scanBoundary(text, 0);
    assert.deepEqual(scan.fence, { marker: '~~~~', indent: 2, start: 'Intro\n\n'.length, contentStart: text.indexOf('  x') });
    assert.equal(scan.position, text.lastIndexOf('\n') + 1);
    assert.equal(scanBoundary(`${text}\n  ~~~~\n`, 0).fence, undefined);
  });
});

describe('Chat page: a long open paragraph in pieces', () => {
  it('cuts after the last space or line break before the limit, never inside a code span', () => {
    const text = 'one two `a b` three';
    assert.equal(paragraphCut(text, 0, text.length), text.indexOf('three'));
    assert.equal(paragraphCut(text, 0, text.indexOf('b`')), text.indexOf('`a'), 'not between the backticks');
    assert.equal(paragraphCut('one\ntwo', 0, 7), 4);
    assert.equal(paragraphCut('nospacehere', 0, 11), -1);
    assert.equal(paragraphCut('x y z', 2, 5), 4, 'only after `from`');
  });

  it('a paragraph is plain while no line starts another block', () => {
    assert.equal(isPlainParagraph('Some **bold** text\nand a [link](https://x.y) on a second line', 0, 60), true);
    for (const line of ['- item', '2. item', '# Heading', '> quote', '| a | b |', '```', '    code', '---', '===', '<div>']) {
      assert.equal(isPlainParagraph(`text\n${line}\nmore`, 0, 100), false, line);
    }
    assert.equal(isPlainParagraph('- item\ntext', 7, 11), true, 'only the range counts');
  });
});

describe('Emulator: [[code:N]] and [[chunk:K]]', () => {
  it('answers with exactly N tokens that are one fenced block, K tokens a chunk', () => {
    const chatPlan = plan({ messages: [{ role: 'user', content: 'Rewrite it. [[code:500]] [[chunk:20]]' }], tools: [], toolChoice: undefined, responseFormat: undefined, reasoning: false, argumentsStyle: 'python' });
    const pieces = decode(chatPlan, { maxTokens: Number.POSITIVE_INFINITY, stops: [], stopScope: 'all', includeStopString: false });
    let text = '';
    let chunks = 0;
    let tokens = 0;
    let step = pieces.next();
    while (!step.done) {
      text += step.value.text;
      tokens += step.value.tokens;
      chunks += 1;
      step = pieces.next();
    }
    assert.equal(step.value.completionTokens, 500);
    assert.equal(tokens, 500);
    assert.equal(chunks, 25);
    assert.match(text, /^```typescript\nexport function handler0/);
    assert.ok(text.endsWith('\n```'));
    assert.equal(text.match(/```/g)?.length, 2, 'one block');
    assert.ok(text.includes('\n\nexport function handler1'), 'blank lines inside the block');
    assert.equal([...codeTokens(3)].join(''), '```typescript\nexport\n```');
  });
});
