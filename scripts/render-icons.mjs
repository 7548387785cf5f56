#!/usr/bin/env node
// Renders resources/icon.svg, the app's one source icon, into what the window and the packages
// need: resources/icons/NxN.png (Linux, and the window and About panel at run time), icon.icns
// (macOS) and icon.ico (Windows). Pure npm tools, no system ones: resvg renders each size from
// the vector (crisper than scaling one bitmap), png2icons wraps PNGs into .icns and .ico.
// The outputs are committed; run `npm run icons` after changing the SVG.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resources = path.join(root, 'resources');
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

function render(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng();
}

const svg = fs.readFileSync(path.join(resources, 'icon.svg'));
const iconsDir = path.join(resources, 'icons');
fs.mkdirSync(iconsDir, { recursive: true });
const pngs = new Map(PNG_SIZES.map((size) => [size, render(svg, size)]));
for (const [size, png] of pngs) fs.writeFileSync(path.join(iconsDir, `${size}x${size}.png`), png);

// png2icons scales the largest PNG down to each size the formats hold; BICUBIC keeps the edges clean.
const icns = png2icons.createICNS(pngs.get(1024), png2icons.BICUBIC, 0);
// PNG entries (not BMP) for Windows Vista and later; forWinExe keeps the 256 px entry NSIS needs.
const ico = png2icons.createICO(pngs.get(256), png2icons.BICUBIC, 0, true, true);
if (!icns || !ico) throw new Error('png2icons could not build the .icns or .ico file');
fs.writeFileSync(path.join(resources, 'icon.icns'), icns);
fs.writeFileSync(path.join(resources, 'icon.ico'), ico);
// The browser host's tab shows the same mark.
fs.copyFileSync(path.join(resources, 'icon.svg'), path.join(root, 'src', 'renderer', 'public', 'favicon.svg'));
console.log(`rendered ${pngs.size} PNG sizes, icon.icns (${icns.length} B) and icon.ico (${ico.length} B) into resources/`);
