// Copy KaTeX (pinned in package.json, installed by `npm ci`) into docs/assets/vendor/katex/, the
// copy the site serves: `npm run vendor:katex` after changing the pin. Only what a page loads is
// copied: the script, auto-render, the stylesheet, the woff2 fonts (every browser the site
// supports reads woff2, so the woff and ttf fallbacks would be dead weight) and the licence.
// tests/site/test_maths.py checks that the copy is this version and these bytes.
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const FROM = fileURLToPath(new URL("../../node_modules/katex/", import.meta.url));
const TO = fileURLToPath(new URL("../../docs/assets/vendor/katex/", import.meta.url));
const FILES = ["dist/katex.min.js", "dist/katex.min.css", "dist/contrib/auto-render.min.js"];

await rm(TO, { recursive: true, force: true });
await mkdir(`${TO}fonts`, { recursive: true });
for (const file of FILES) {
  await copyFile(FROM + file, TO + file.split("/").pop());
}
await copyFile(`${FROM}LICENSE`, `${TO}LICENSE`);
const fonts = (await readdir(`${FROM}dist/fonts`)).filter((name) => name.endsWith(".woff2"));
for (const font of fonts) {
  await copyFile(`${FROM}dist/fonts/${font}`, `${TO}fonts/${font}`);
}
console.log(`copied KaTeX into ${TO}: ${FILES.length} files, the licence, ${fonts.length} fonts`);
