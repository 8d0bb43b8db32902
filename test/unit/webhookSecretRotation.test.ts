import * as assert from 'node:assert/strict';
import { ROTATION_WINDOW_MS, previousSecretIfValid, rotatedRecord } from '../../src/features/async/logic/secretRotation';

describe('Webhook secret rotation', () => {
  const rotatedAt = Date.UTC(2026, 0, 10, 12);

  it('keeps the previous secret valid for 24 h after the rotation, and not a millisecond longer', () => {
    const record = rotatedRecord('whsec_old', rotatedAt);
    assert.equal(ROTATION_WINDOW_MS, 86_400_000);
    assert.equal(previousSecretIfValid(record, rotatedAt), 'whsec_old');
    assert.equal(previousSecretIfValid(record, rotatedAt + ROTATION_WINDOW_MS - 1), 'whsec_old');
    assert.equal(previousSecretIfValid(record, rotatedAt + ROTATION_WINDOW_MS), undefined);
    assert.equal(previousSecretIfValid(record, rotatedAt + 3 * ROTATION_WINDOW_MS), undefined);
  });

  it('treats a record of unknown age (a bare secret from an older version) or a damaged one as expired', () => {
    assert.equal(previousSecretIfValid('whsec_bare_old_secret', rotatedAt), undefined);
    assert.equal(previousSecretIfValid(JSON.stringify({ secret: 'whsec_old' }), rotatedAt), undefined);
    assert.equal(previousSecretIfValid(JSON.stringify({ secret: '', rotatedAt }), rotatedAt), undefined);
    assert.equal(previousSecretIfValid(undefined, rotatedAt), undefined);
  });
});
