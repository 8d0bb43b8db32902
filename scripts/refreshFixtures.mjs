#!/usr/bin/env node
/**
 * Refreshes the Baseten API fixtures the unit tests read, from the reference material kept outside the
 * repository (../shared on the developers' machines and CI; users' clones do not have it):
 *
 *   node scripts/refreshFixtures.mjs [path-to-shared]
 *
 * - test/fixtures/recordings/…/*.json: the facts of each recorded exchange (go-vcr cassette) and nothing
 *   else; credentials are dropped, bodies are kept exactly as sent.
 * - test/fixtures/openapi/{inference,management}.json: the specs' structure, their prose removed.
 *
 * Run it by hand when ../shared changes, then review the diff. NOTICE.md files are written by hand.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.argv[2] ?? join(repoRoot, '..', 'shared'));
const sourceDir = join(shared, 'baseten-api');
const fixturesDir = join(repoRoot, 'test', 'fixtures');

// Not copyFileSync: it would carry over the source's read-only mode, and the next refresh could not overwrite.
function copyText(from, to) {
  writeFileSync(to, readFileSync(from));
}

// ---------------------------------------------------------------- recordings

/** Headers that can carry a credential; none may reach the repository. */
const SECRET_HEADER = /authorization|api[-_]?key|cookie|token|secret/i;

function filesUnder(dir, suffix) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(path, suffix);
      return entry.name.endsWith(suffix) ? [path] : [];
    })
    .sort();
}

function publicHeaders(headers = {}) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !SECRET_HEADER.test(name)));
}

function interactionFacts(interaction, index) {
  const { request = {}, response = {} } = interaction;
  return {
    id: typeof interaction.id === 'number' ? interaction.id : index,
    request: {
      method: request.method,
      url: request.url,
      headers: publicHeaders(request.headers),
      body: request.body ?? '',
    },
    response: {
      code: response.code,
      status: response.status,
      headers: publicHeaders(response.headers),
      body: response.body ?? '',
    },
  };
}

function refreshRecordings() {
  const from = join(sourceDir, 'recordings');
  const to = join(fixturesDir, 'recordings');
  mkdirSync(to, { recursive: true });
  // Cassettes removed upstream must not linger; NOTICE.md and LICENSE stay.
  for (const stale of filesUnder(to, '.json')) rmSync(stale);
  const cassettes = filesUnder(from, '.yaml');
  for (const cassette of cassettes) {
    const name = relative(from, cassette).split(sep).join('/');
    const document = parseYaml(readFileSync(cassette, 'utf8'));
    const facts = {
      origin: `maruel/genai recordings/${name}`,
      interactions: (document.interactions ?? []).map(interactionFacts),
    };
    const target = join(to, name.replace(/\.yaml$/, '.json'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `${JSON.stringify(facts, null, 2)}\n`);
  }
  copyText(join(from, 'LICENSE'), join(to, 'LICENSE'));
  return cassettes.length;
}

// ---------------------------------------------------------------- OpenAPI specs

/** Prose and samples: nothing a validator reads. */
const PROSE = new Set(['description', 'summary', 'example', 'examples', 'x-codeSamples']);

/** Objects whose keys are names (a property called `description`, a path, a status code), never prose. */
const NAME_MAPS = new Set([
  'properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'paths', 'webhooks', 'schemas',
  'responses', 'parameters', 'requestBodies', 'headers', 'securitySchemes', 'links', 'callbacks', 'pathItems',
  'content', 'encoding', 'variables', 'mapping', 'scopes',
]);

function withoutProse(value, keysAreNames = false) {
  if (Array.isArray(value)) return value.map((item) => withoutProse(item));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => keysAreNames || !PROSE.has(key))
      .map(([key, child]) => [key, withoutProse(child, !keysAreNames && NAME_MAPS.has(key))]),
  );
}

function refreshOpenApi() {
  const from = join(sourceDir, 'openapi');
  const to = join(fixturesDir, 'openapi');
  mkdirSync(to, { recursive: true });
  const names = ['inference', 'management'];
  for (const name of names) {
    const spec = JSON.parse(readFileSync(join(from, `${name}.json`), 'utf8'));
    writeFileSync(join(to, `${name}.json`), `${JSON.stringify(withoutProse(spec), null, 2)}\n`);
  }
  copyText(join(from, 'LICENSE'), join(to, 'LICENSE'));
  return names.length;
}

const recordings = refreshRecordings();
const specs = refreshOpenApi();
console.log(`From ${sourceDir}: ${recordings} recordings and ${specs} OpenAPI specs written under ${relative(process.cwd(), fixturesDir) || '.'}`);
