#!/usr/bin/env node
// Renders the marketplace icon (media/icon.png, 128×128) from the activity-bar glyph (media/baseten.svg) in
// headless Chromium. Run by hand when the glyph changes; the PNG is committed (the marketplace refuses SVG).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const glyph = readFileSync(join(root, 'media', 'baseten.svg'), 'utf8').replace('stroke="currentColor"', 'stroke="#c6f36d"');
const page = `<!doctype html><html><body style="margin:0;background:transparent">
<div style="width:128px;height:128px;border-radius:24px;background:#14161a;display:flex;align-items:center;justify-content:center">
<div style="width:100px;height:100px">${glyph.replace('width="24" height="24"', 'width="100" height="100"')}</div></div></body></html>`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const tab = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await tab.setContent(page);
  await tab.screenshot({ path: join(root, 'media', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('media/icon.png written');
