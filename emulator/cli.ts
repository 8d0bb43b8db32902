/**
 * `node out/emulator/cli.js [--port N] [--fast] …` (or `npm run emulator`): starts the emulator, prints
 * its URLs, keys and endpoints, and runs until Ctrl+C.
 */
import { SEED, startEmulator } from './index';
import type { EmulatorOptions } from './types';

const USAGE = `Usage: node out/emulator/cli.js [options]

  --port N              listen on 127.0.0.1:N (default: a free port)
  --fast                no artificial delays (wake, tokens, async runs)
  --wake-delay-ms N     SCALED_TO_ZERO → ACTIVE takes N ms (default 3000)
  --token-delay-ms N    delay between streamed chunks (default 15)
  --webhook-secret S    sign webhook deliveries with S
  --scale MxD           add M generated models with D deployments each (e.g. 1000x5), for benchmarks
  --quiet               do not log requests
  --help                this text`;

function parseArgs(argv: string[]): EmulatorOptions & { quiet: boolean } {
  const options: EmulatorOptions & { quiet: boolean } = { quiet: false };
  const number = (flag: string, value: string | undefined): number => {
    const parsed = Number(value);
    if (value === undefined || !Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag} needs a number >= 0`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        options.port = number(flag, value());
        break;
      case '--fast':
        options.fast = true;
        break;
      case '--wake-delay-ms':
        options.wakeDelayMs = number(flag, value());
        break;
      case '--token-delay-ms':
        options.tokenDelayMs = number(flag, value());
        break;
      case '--webhook-secret':
        options.webhookSecret = value();
        break;
      case '--scale': {
        const match = /^(\d+)x(\d+)$/.exec(value() ?? '');
        if (!match) throw new Error(`${flag} needs MODELSxDEPLOYMENTS, e.g. 1000x5`);
        options.scale = { models: Number(match[1]), deploymentsPerModel: Number(match[2]) };
        break;
      }
      case '--quiet':
        options.quiet = true;
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown option ${arg}\n\n${USAGE}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const { quiet, ...options } = parseArgs(process.argv.slice(2));
  const emulator = await startEmulator({ ...options, log: quiet ? undefined : (line) => console.log(`  ${line}`) });
  const { endpoints } = emulator;
  const echo = SEED.models.echo;
  console.log(`Baseten emulator listening on ${emulator.baseUrl}

  API key (full access):  ${emulator.apiKey}
  API key (invoke only):  ${emulator.invokeOnlyApiKey}

  Model APIs:     ${endpoints.modelApisBaseUrl}   (GET /models, POST /chat/completions)
  Management:     ${endpoints.managementBaseUrl}
  Model host:     ${endpoints.modelHostTemplate}   (e.g. ${endpoints.modelHostTemplate.replace('{id}', echo.id)}/production/predict)
  Chain host:     ${endpoints.chainHostTemplate}
  Dashboard:      ${endpoints.dashboardUrl}
  Control API:    ${emulator.baseUrl}/__emulator/info

Endpoints as JSON (BasetenEndpoints):
${JSON.stringify(endpoints, null, 2)}

Try:
  curl -s -H "Authorization: Bearer ${emulator.apiKey}" ${endpoints.modelHostTemplate.replace('{id}', echo.id)}/production/predict -d '{"hello": "world"}'

Press Ctrl+C to stop.
`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('\nStopping the emulator…');
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
