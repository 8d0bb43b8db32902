// Bundles the extension (and, later, each webview front end) into dist/. `vscode` stays external.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const extension = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/extension.js',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  metafile: true,
};

// Webview front ends run in the browser: one bundle per panel, into media/dist (the panels' only resource root).
const webview = (name) => ({
  entryPoints: [`media/${name}/main.ts`],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  outfile: `media/dist/${name}.js`,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
});

const builds = [extension, webview('chat')];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
