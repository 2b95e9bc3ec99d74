// Renders the kernel logo (kernelspec/logo-svg.svg) to the PNG sizes Jupyter asks for, with
// Debian's Chromium: node render-logos.mjs (from this folder, after setup.sh). The PNGs are committed.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../main/resources/kernelspec/', import.meta.url));
const svg = readFileSync(dir + 'logo-svg.svg', 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const size of [32, 64]) {
    const page = await browser.newPage({ viewport: { width: 200, height: 200 } });
    const data = 'data:image/svg+xml;base64,' + Buffer.from(svg).toString('base64');
    await page.setContent(`<html><body style="margin:0"><img id="logo" src="${data}" width="${size}" height="${size}" style="display:block"></body></html>`);
    await page.waitForFunction(() => document.getElementById('logo').complete);
    writeFileSync(dir + `logo-${size}x${size}.png`, await page.locator('#logo').screenshot({ omitBackground: true }));
    await page.close();
  }
} finally {
  await browser.close();
}
