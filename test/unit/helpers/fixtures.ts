/**
 * Where the repository's test fixtures are. Tests read Baseten's API material only from here, so a clone
 * tests on its own; `scripts/refreshFixtures.mjs` regenerates the files from the reference kept outside.
 */
import { join } from 'node:path';

/** Compiled, this file is out/test/unit/helpers/fixtures.js: four folders below the repository root. */
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

export const FIXTURES_DIR = join(REPO_ROOT, 'test', 'fixtures');

/** The facts of recorded Baseten exchanges, one JSON file per go-vcr cassette. */
export const RECORDINGS_DIR = join(FIXTURES_DIR, 'recordings');

/** Baseten's OpenAPI specs (`inference.json`, `management.json`), their prose removed. */
export const OPENAPI_DIR = join(FIXTURES_DIR, 'openapi');
