/** The plain parts of the VS Code language-model provider (src/lm): token limits, tool-call ids, images. */
import * as assert from 'node:assert/strict';
import { imageUrlPart, isImagePart } from '../../src/features/lm/logic/imageParts';
import { tokenLimits } from '../../src/features/lm/logic/tokenLimits';
import { uniqueToolCallIds } from '../../src/features/lm/logic/toolCallIds';
import type { ToolCall } from '../../src/client/types';

describe('language-model provider parts', () => {
  it('keeps most of the context for input when max_completion_tokens equals the context length', () => {
    assert.deepEqual(tokenLimits(128072, 128072), { maxInputTokens: 96054, maxOutputTokens: 32018 });
    assert.deepEqual(tokenLimits(262000, 262000), { maxInputTokens: 196500, maxOutputTokens: 65500 });
  });

  it('reserves the whole output limit when it is a small share of the context', () => {
    assert.deepEqual(tokenLimits(1048576, 262144), { maxInputTokens: 786432, maxOutputTokens: 262144 });
    assert.deepEqual(tokenLimits(200_000, 8192), { maxInputTokens: 191808, maxOutputTokens: 8192 });
  });

  it('falls back when the catalogue gives no figures, and never sums past the context', () => {
    assert.deepEqual(tokenLimits(undefined, undefined), { maxInputTokens: 24576, maxOutputTokens: 8192 });
    assert.deepEqual(tokenLimits(2000, 2000), { maxInputTokens: 1500, maxOutputTokens: 500 });
    const tiny = tokenLimits(1100, 1100);
    assert.equal(tiny.maxInputTokens, 1024);
    assert.ok(tiny.maxInputTokens + tiny.maxOutputTokens <= 1100);
  });

  it('gives every tool call of a response its own id, even two calls of one function without ids', () => {
    const call = (id: string, name: string): ToolCall => ({ id, type: 'function', function: { name, arguments: '{}' } });
    const ids = uniqueToolCallIds([call('', 'get_weather'), call('', 'get_weather'), call('abc', 'other'), call('abc', 'other')]);
    assert.equal(new Set(ids).size, 4, ids.join(', '));
    assert.equal(ids[2], 'abc', 'an id the model sent is kept');
  });

  it('turns an image data part into an image_url part with a base64 data: URL', () => {
    const part = { mimeType: 'image/PNG', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) };
    assert.ok(isImagePart(part));
    assert.ok(!isImagePart({ mimeType: 'application/json', data: new Uint8Array() }));
    assert.ok(!isImagePart({ value: 'text' }));
    assert.deepEqual(imageUrlPart(part), { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw==' } });
  });
});
