// Compile docs/measure/matmul.wat to matmul.wasm with wabt (pinned in package.json), or, with
// --check, say whether the committed .wasm is that compile (a test runs it that way).
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const WAT = fileURLToPath(new URL("../../docs/measure/matmul.wat", import.meta.url));
export const WASM = fileURLToPath(new URL("../../docs/measure/matmul.wasm", import.meta.url));

export async function compile() {
  const wabt = await (await import("wabt")).default();
  const module = wabt.parseWat("matmul.wat", await readFile(WAT, "utf8"), { simd: true });
  module.validate();
  const { buffer } = module.toBinary({ log: false, write_debug_names: false });
  module.destroy();
  return Buffer.from(buffer);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await compile();
  await writeFile(WASM, bytes);
  console.log(`wrote ${WASM} (${bytes.length} bytes)`);
}
