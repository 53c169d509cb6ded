// The same product, tiled: a 16 x 16 workgroup first copies one 16 x 16 tile of A and one of B
// into workgroup (shared) memory, waits for all its invocations, then each of them does 16
// multiply-adds from there. Every number read from the storage buffers is used 16 times, not
// once; each invocation still computes one output.
const T = 16u;
@group(0) @binding(0) var<storage, read> a : array<f32>;
@group(0) @binding(1) var<storage, read> b : array<f32>;
@group(0) @binding(2) var<storage, read_write> c : array<f32>;
@group(0) @binding(3) var<uniform> n : u32;
var<workgroup> ta : array<f32, 256>;
var<workgroup> tb : array<f32, 256>;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) gid : vec3<u32>,
        @builtin(local_invocation_id) lid : vec3<u32>) {
  let row = gid.y;
  let col = gid.x;
  var sum = 0.0;
  for (var t = 0u; t < (n + T - 1u) / T; t = t + 1u) {
    let ak = t * T + lid.x;
    let bk = t * T + lid.y;
    ta[lid.y * T + lid.x] = select(0.0, a[row * n + ak], row < n && ak < n);
    tb[lid.y * T + lid.x] = select(0.0, b[bk * n + col], bk < n && col < n);
    workgroupBarrier();
    for (var k = 0u; k < T; k = k + 1u) {
      sum = sum + ta[lid.y * T + k] * tb[k * T + lid.x];
    }
    workgroupBarrier();
  }
  if (row < n && col < n) {
    c[row * n + col] = sum;
  }
}
