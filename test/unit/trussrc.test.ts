import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseTrussrcApiKey, readTrussrcApiKey, trussrcPath } from '../../src/platform/trussrc';

describe('~/.trussrc key lookup', () => {
  it('reads api_key from the [baseten] section only', () => {
    const text = '[other]\napi_key = wrong.key\n\n[baseten]\nremote_provider = baseten\napi_key = abcdefgh.1234567890ABCDEFGHIJKL1234567890\nremote_url = https://app.baseten.co\n';
    assert.equal(parseTrussrcApiKey(text), 'abcdefgh.1234567890ABCDEFGHIJKL1234567890');
  });

  it('accepts quotes, CRLF, comments and `:` separators, and ignores an empty value', () => {
    assert.equal(parseTrussrcApiKey('; comment\r\n[baseten]\r\n# note\r\napi_key: "quoted.key"\r\n'), 'quoted.key');
    assert.equal(parseTrussrcApiKey('[baseten]\napi_key =\n'), undefined);
    assert.equal(parseTrussrcApiKey('[baseten]\nremote_url = x\n'), undefined);
  });

  it('reads the file as configparser does: option names in any case, indented comments, DEFAULT, continued values', () => {
    assert.equal(parseTrussrcApiKey('[baseten]\nAPI_KEY=upper.case\n'), 'upper.case');
    assert.equal(parseTrussrcApiKey('[baseten]\n  ; indented comment\n  # another\nApi_Key : mixed.case\n'), 'mixed.case');
    assert.equal(parseTrussrcApiKey('[DEFAULT]\napi_key = from.default\n[baseten]\nremote_url = x\n'), 'from.default');
    assert.equal(parseTrussrcApiKey('[DEFAULT]\napi_key = from.default\n[baseten]\napi_key = own.key\n'), 'own.key');
    assert.equal(parseTrussrcApiKey('[Baseten]\napi_key = other.section\n'), undefined, 'section names keep their case');
    assert.equal(parseTrussrcApiKey('[baseten]\napi_key = abc ; not a comment\n'), 'abc ; not a comment', 'configparser keeps it in the value');
    assert.equal(parseTrussrcApiKey('[baseten]\nremote_url = a\n  b\napi_key = after.continued\n'), 'after.continued');
    assert.equal(parseTrussrcApiKey('\uFEFF[baseten]\napi_key = after.bom\nremote_url = x\n'), 'after.bom');
  });

  it('ignores a file too large to be a key file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trussrc-'));
    const file = path.join(dir, 'trussrc');
    await fs.writeFile(file, `[baseten]\napi_key = big.file\n${'# filler\n'.repeat(10_000)}`);
    try {
      assert.equal(await readTrussrcApiKey({ USER_TRUSSRC_PATH: file }), undefined);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('honours USER_TRUSSRC_PATH and a missing file is no key', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trussrc-'));
    const file = path.join(dir, 'trussrc');
    await fs.writeFile(file, '[baseten]\napi_key = from.file\n');
    try {
      assert.equal(trussrcPath({ USER_TRUSSRC_PATH: file }), file);
      assert.equal(await readTrussrcApiKey({ USER_TRUSSRC_PATH: file }), 'from.file');
      assert.equal(await readTrussrcApiKey({ USER_TRUSSRC_PATH: path.join(dir, 'missing') }), undefined);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
