import * as assert from 'node:assert/strict';
import { blockLines, decidedLines, diffLines, middleEdit, positionIn, proposedBlockText } from '../../src/features/inline/logic/lineDiff';
import { lensTitles } from '../../src/features/inline/logic/lensTitles';

const marks = (lines: Array<{ kind: string; text: string }>): string[] => lines.map((line) => `${line.kind[0]} ${line.text}`);

describe('inline diff lines', () => {
  it('keeps common lines and puts removed lines before added ones in a changed stretch', () => {
    assert.deepEqual(marks(diffLines(['a', 'b', 'c', 'd'], ['a', 'B', 'c', 'd', 'e'])), ['s a', 'r b', 'a B', 's c', 's d', 'a e']);
    assert.deepEqual(marks(diffLines(['x'], [])), ['r x']);
  });

  it('shows the original lines the stream has not reached as pending, below what arrived', () => {
    assert.deepEqual(marks(blockLines(['a', 'b', 'c'], ['a', 'B'], true)), ['s a', 'a B', 'p b', 'p c']);
    assert.deepEqual(marks(blockLines(['a', 'b', 'c'], ['a', 'B'], false)), ['s a', 'r b', 'r c', 'a B']);
    // A lone brace that arrives early does not pair with the original's last line while the answer streams.
    assert.deepEqual(marks(blockLines(['f() {', '  x;', '}'], ['g() {', '}', ''], true)), ['a g() {', 'a }', 'a ', 'p f() {', 'p   x;', 'p }']);
  });

  it('accept keeps all but the removed lines; reject gives back exactly the original', () => {
    const original = ['function f(a) {', '  return a;', '}'];
    const proposed = ['function f(a: number): number {', '  return a;', '}'];
    const lines = blockLines(original, proposed, false);
    assert.deepEqual(decidedLines(lines, true), proposed);
    assert.deepEqual(decidedLines(lines, false), original);
  });

  it('gives up line matching for huge inputs, still exact', () => {
    const original = Array.from({ length: 3000 }, (_, index) => `old ${index}`);
    const proposed = Array.from({ length: 3000 }, (_, index) => `new ${index}`);
    const lines = diffLines(original, proposed);
    assert.deepEqual(decidedLines(lines, false), original);
    assert.deepEqual(decidedLines(lines, true), proposed);
  });

  it('edits only the middle that differs, and never splits a CRLF pair', () => {
    assert.deepEqual(middleEdit('a\nb\nc', 'a\nB\nc'), { start: 2, end: 3, text: 'B' });
    const crlf = middleEdit('a\r\nb', 'a\r\r\nb');
    assert.equal('a\r\nb'.slice(0, crlf.start) + crlf.text + 'a\r\nb'.slice(crlf.end), 'a\r\r\nb');
    assert.notEqual('a\r\nb'[crlf.start - 1], '\r');
    assert.deepEqual(positionIn('ab\ncd\nef', 7), { line: 2, character: 1 });
    assert.deepEqual(positionIn('ab\ncd', 3), { line: 1, character: 0 });
  });

  it('puts the replacement between the text around the selection on its lines', () => {
    assert.equal(proposedBlockText({ before: '  x = ', after: ';', endsAtLineStart: false }, 'f(1)'), '  x = f(1);');
    assert.equal(proposedBlockText({ before: '', after: '', endsAtLineStart: true }, 'line\n'), 'line');
  });
});

describe('inline diff lenses', () => {
  it('names the decisions with their keys, and what changed', () => {
    const ready = lensTitles({ state: 'ready', model: 'Kimi K2.6', changes: { added: 1, removed: 2 }, mac: false });
    assert.deepEqual(
      ready.map((lens) => lens.title),
      ['Accept (Ctrl+Enter)', 'Reject (Esc)', 'Kimi K2.6: 1 line added, 2 lines removed'],
    );
    assert.equal(lensTitles({ state: 'ready', model: 'm', changes: { added: 1, removed: 0 }, mac: true })[0].title, 'Accept (⌘Enter)');
    const failed = lensTitles({ state: 'failed', model: 'm', error: 'x'.repeat(200), changes: { added: 1, removed: 0 }, mac: false });
    assert.ok(failed[0].title.length < 140 && failed[0].tooltip === 'x'.repeat(200));
    assert.deepEqual(failed.slice(1).map((lens) => lens.action), ['accept', 'reject']);
  });
});
