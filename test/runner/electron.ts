/**
 * The integration suite in a desktop VS Code, for machines that have one: `VSCODE_EXECUTABLE_PATH=/path/to/code
 * node out/test/runner/electron.js [--grep X] [--no-key]`. Never downloads VS Code; CI uses runIntegration.js.
 * Screenshots and UI actions are skipped here (there is no browser to drive).
 */
import { runTests } from '@vscode/test-electron';
import type { Emulator } from '../../emulator';
import { extensionTestsPath, parseArgs, prepareRun, readResults, removeQuietly, repoRoot, report, startEmulatorFromOut } from './setup';

async function main(): Promise<number> {
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
  if (!vscodeExecutablePath) throw new Error('Set VSCODE_EXECUTABLE_PATH to a VS Code executable (this runner never downloads one).');
  const args = parseArgs(process.argv.slice(2));
  let emulator: Emulator | undefined;
  let tmp: string | undefined;
  try {
    emulator = await startEmulatorFromOut({ port: 0, wakeDelayMs: 1500 });
    const run = prepareRun(emulator, args, undefined);
    tmp = run.tmp;
    const extensionTestsEnv: Record<string, string | undefined> = { ...run.env };
    delete extensionTestsEnv.HOME;
    let exitCode: number;
    try {
      exitCode = await runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath,
        extensionTestsEnv,
        launchArgs: [run.workspace, '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      });
    } catch (error) {
      console.error(error);
      exitCode = 1;
    }
    return report(readResults(run.resultsFile), exitCode);
  } finally {
    await emulator?.close().catch(() => undefined);
    if (tmp) removeQuietly(tmp);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.log('integration: 0 passed, 1 failed');
    process.exit(1);
  },
);
