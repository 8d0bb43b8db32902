import * as assert from 'node:assert/strict';
import { DEFAULT_INPUT_TEMPLATE, applyTemplate, buildPayload, jsonErrorPosition, looksLikeJson, parseJson } from '../../src/features/predict/logic/payload';

describe('predict payload', () => {
  describe('input template', () => {
    it('wraps text that is not JSON in the default template', () => {
      assert.deepEqual(buildPayload('Write a haiku'), { ok: true, value: { prompt: 'Write a haiku' }, wrapped: true });
      assert.equal(DEFAULT_INPUT_TEMPLATE, '{"prompt": "${selection}"}');
    });

    it('escapes quotes, backslashes, newlines and control characters for the JSON string', () => {
      const text = 'say "hi"\\ then\nnew line\ttab \u0001 and ünïcode 🎉';
      const result = applyTemplate('{"prompt": "${selection}"}', text);
      assert.ok(result.ok);
      assert.deepEqual(result.value, { prompt: text });
    });

    it('replaces every ${selection} in a per-model template', () => {
      const result = applyTemplate('{"text": "${selection}", "echo": ["${selection}"], "n": 1}', 'a"b');
      assert.deepEqual(result.ok && result.value, { text: 'a"b', echo: ['a"b'], n: 1 });
    });

    it('a template that does not make JSON is reported as the template\'s fault', () => {
      const result = applyTemplate('{"prompt": ${selection}}', 'hello');
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.source === 'template' && /input template/.test(result.message));
    });

    it('JSON text is sent as it is, never wrapped', () => {
      assert.deepEqual(buildPayload(' {"text": "hi"} '), { ok: true, value: { text: 'hi' }, wrapped: false });
      assert.deepEqual(buildPayload('[1, 2]'), { ok: true, value: [1, 2], wrapped: false });
      assert.deepEqual(buildPayload('"just a string"', { isJsonFile: true }), { ok: true, value: 'just a string', wrapped: false });
    });

    it('text that starts with brackets but is a prompt is wrapped', () => {
      assert.equal(looksLikeJson('[[tokens:5]] hello'), false);
      assert.equal(looksLikeJson('{name} is a placeholder'), false);
      assert.deepEqual(buildPayload('[[tokens:5]] hello'), { ok: true, value: { prompt: '[[tokens:5]] hello' }, wrapped: true });
    });

    it('an unfinished object or array looks like JSON, so it is reported rather than wrapped', () => {
      assert.equal(looksLikeJson('{"a": 1'), true);
      assert.equal(looksLikeJson('[{"a": 1}'), true);
      assert.equal(buildPayload('{"a": 1').ok, false);
    });
  });

  describe('JSON error position', () => {
    it('points at the line and column of a trailing comma', () => {
      const text = '{\n  "a": 1,\n  "b": 2,\n}';
      const result = buildPayload(text);
      assert.ok(!result.ok);
      assert.deepEqual(result.position && { line: result.position.line, column: result.position.column }, { line: 4, column: 1 });
      assert.match(result.message, /line 4, column 1/);
      assert.equal(text[result.position!.offset], '}');
    });

    it('points at a missing comma mid-line', () => {
      const text = '{"a": 1\n, "b": 2 "c": 3}';
      const result = parseJson(text);
      assert.ok(!result.ok);
      assert.deepEqual([result.position.line, result.position.column], [2, 10]);
    });

    it('the end of the input for a truncated document', () => {
      const text = '{\n  "a": [1, 2';
      const result = buildPayload(text, { isJsonFile: true });
      assert.ok(!result.ok && result.position);
      assert.equal(result.position.offset, text.length);
      assert.equal(result.position.line, 2);
    });

    it('an empty .json file is an error, not an empty payload', () => {
      assert.equal(buildPayload('  \n', { isJsonFile: true }).ok, false);
    });

    it('reads both V8 message forms: "at position N" and "(line L column C)"', () => {
      const text = 'ab\ncd\nef';
      assert.deepEqual(jsonErrorPosition(text, 'Unexpected token d in JSON at position 4'), { line: 2, column: 2, offset: 4 });
      assert.deepEqual(jsonErrorPosition(text, 'Unexpected token \'d\', "ab\ncd" is not valid JSON (line 2 column 2)'), { line: 2, column: 2, offset: 4 });
      assert.deepEqual(jsonErrorPosition(text, 'Unexpected end of JSON input'), { line: 3, column: 3, offset: 8 });
    });

    it('the message does not quote the payload back', () => {
      const result = parseJson('{"secret-looking": "abc", oops}');
      assert.ok(!result.ok);
      assert.doesNotMatch(result.message, /secret-looking/);
    });
  });
});
