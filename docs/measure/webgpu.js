// The GPU side, through WebGPU: the adapter and what it is, the WGSL matrix product, the fixed
// cost of one round trip, and copies to and from a GPU buffer.

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|warp/i;

/** The adapter and device, or null with the reason when the browser offers no WebGPU. */
export async function openGpu(gpu = globalThis.navigator && navigator.gpu) {
  if (!gpu) return { device: null, reason: "this browser offers no WebGPU (navigator.gpu is missing)" };
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) return { device: null, reason: "WebGPU found no adapter on this machine" };
  const info = adapter.info || (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  const limits = {
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  };
  const device = await adapter.requestDevice({ requiredLimits: limits });
  return { device, adapter: describeAdapter(info, adapter), limits };
}

/** What the page names: vendor, architecture, device, description, and whether it is software. */
export function describeAdapter(info, adapter = {}) {
  const fields = {
    vendor: String(info.vendor || ""),
    architecture: String(info.architecture || ""),
    device: String(info.device || ""),
    description: String(info.description || ""),
  };
  const fallback = Boolean(info.isFallbackAdapter || adapter.isFallbackAdapter);
  const software = fallback || Object.values(fields).some((v) => SOFTWARE.test(v));
  return { ...fields, fallback, software };
}

/** What a software adapter is called, for a sentence: "SwiftShader", "llvmpipe", "WARP", or
 *  "a fallback adapter" when the browser only says it is one. */
export function softwareName(a) {
  const text = [a.description, a.device, a.architecture, a.vendor].filter(Boolean).join(" ");
  const found = text.match(SOFTWARE);
  if (!found) return "a fallback adapter";
  const word = found[0].toLowerCase();
  return SOFTWARE_NAMES[word] || found[0];
}

/** How each software renderer spells its own name. */
const SOFTWARE_NAMES = {
  swiftshader: "SwiftShader",
  warp: "WARP",
  "microsoft basic render": "Microsoft Basic Render Driver",
  software: "a software adapter",
};

/** A label a reader understands: the adapter's name, and the plain truth when it is software. */
export function adapterLabel(a) {
  const name = [a.vendor, a.architecture, a.description || a.device].filter(Boolean).join(" ") || "an unnamed adapter";
  return a.software ? `${name}: no GPU was used: this is your CPU pretending to be one` : name;
}

/** Build the WGSL matrix product for size n: `run()` dispatches it once, `runMany(k)` queues k
 *  dispatches and waits for all, `endToEnd()` uploads, computes and reads back like a program
 *  sending one product to the GPU, `result()` reads C back. */
export function matmulKernel(device, wgsl, a, b, n, workgroup = 8) {
  const bytes = 4 * n * n;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const ba = device.createBuffer({ size: bytes, usage });
  const bb = device.createBuffer({ size: bytes, usage });
  const bc = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const bn = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const read = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(ba, 0, a);
  device.queue.writeBuffer(bb, 0, b);
  device.queue.writeBuffer(bn, 0, new Uint32Array([n, 0, 0, 0]));
  const pipeline = device.createComputePipeline({
    layout: "auto",
    compute: { module: device.createShaderModule({ code: wgsl }), entryPoint: "main" },
  });
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [ba, bb, bc, bn].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const tiles = Math.ceil(n / workgroup);  // the shader's @workgroup_size, per dimension

  function encode(encoder, times) {
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    for (let i = 0; i < times; i++) pass.dispatchWorkgroups(tiles, tiles);
    pass.end();
  }

  async function runMany(times) {
    const encoder = device.createCommandEncoder();
    encode(encoder, times);
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
  }

  async function readBack() {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(bc, 0, read, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    return out;
  }

  return {
    run: () => runMany(1),
    runMany,
    async endToEnd() {
      device.queue.writeBuffer(ba, 0, a);
      device.queue.writeBuffer(bb, 0, b);
      await runMany(1);
      await readBack();
    },
    result: readBack,
    destroy() {
      for (const buffer of [ba, bb, bc, bn, read]) buffer.destroy();
    },
  };
}

/** The fixed cost of one round trip: a one-invocation kernel writes one number, read back. */
export function roundTrip(device) {
  const code = "@group(0) @binding(0) var<storage, read_write> x : array<u32>;\n" +
    "@compute @workgroup_size(1) fn main() { x[0] = x[0] + 1u; }";
  const buffer = device.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const pipeline = device.createComputePipeline({
    layout: "auto", compute: { module: device.createShaderModule({ code }), entryPoint: "main" },
  });
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer } }],
  });
  return async function once() {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(1);
    pass.end();
    encoder.copyBufferToBuffer(buffer, 0, read, 0, 4);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    read.unmap();
  };
}

/** Copies of `bytes` to a GPU buffer (waiting until the queue has taken them) and back. */
export function copies(device, bytes) {
  const data = new Uint8Array(bytes);
  const buffer = device.createBuffer({ size: bytes, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  return {
    async toGpu() {
      device.queue.writeBuffer(buffer, 0, data);
      await device.queue.onSubmittedWorkDone();
    },
    async fromGpu() {
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(buffer, 0, read, 0, bytes);
      device.queue.submit([encoder.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      read.unmap();
    },
    destroy() { buffer.destroy(); read.destroy(); },
  };
}
