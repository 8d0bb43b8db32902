// Bundles the extension, its vendored HTTP/WebSocket libraries and each webview front end. `vscode` stays external.
import * as esbuild from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

// undici and ws are two thirds of the code but needed only from the first request (src/client loads them
// then): they get files of their own, so activation does not even parse them.
// The Truss deploy's S3 SDK, archiver and YAML parser are needed only when a Truss is deployed or its
// config.yaml checked: apart too.
const VENDORED = ['undici', 'ws', '@aws-sdk/client-s3', 'tar', 'yaml'];
const vendorFile = (name) => name.replace(/[@/]/g, (char) => (char === '/' ? '-' : ''));
const vendoredApart = {
  name: 'vendored-apart',
  setup(build) {
    const names = VENDORED.map((name) => name.replace(/[/@]/g, (char) => `\\${char}`));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: `./vendor/${vendorFile(args.path)}.js`, external: true }));
  },
};

// \`import * as vscode from 'vscode'\` of an external module makes esbuild wrap each importing file's require in
// __toESM, which copies every export of the vscode API (hundreds) into a fresh object: 49 files, a third of
// the activation time. The TypeScript form \`import vscode = require('vscode')\` is a plain require; the
// sources keep the usual import and this rewrites it when bundling.
const VSCODE_NAMESPACE_IMPORT = /^import \* as vscode from 'vscode';$/m;
const plainVscodeRequire = {
  name: 'plain-vscode-require',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(VSCODE_NAMESPACE_IMPORT, "import vscode = require('vscode');"), loader: 'ts' };
    });
  },
};

const node = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const extension = {
  ...node,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
  plugins: [vendoredApart, plainVscodeRequire],
  metafile: true,
};

const vendor = (name) => ({ ...node, entryPoints: [require.resolve(name)], outfile: `dist/vendor/${vendorFile(name)}.js` });

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

const builds = [extension, ...VENDORED.map(vendor), webview('chat'), webview('websocket'), webview('metrics'), webview('logs')];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
