// C = A x B for n x n fp32 matrices, row-major: one invocation computes one output.
// Output (row, col) reads row `row` of A and column `col` of B and nothing any other
// invocation writes, so the GPU may run all n * n of them at once, in any order.
@group(0) @binding(0) var<storage, read> a : array<f32>;
@group(0) @binding(1) var<storage, read> b : array<f32>;
@group(0) @binding(2) var<storage, read_write> c : array<f32>;
@group(0) @binding(3) var<uniform> n : u32;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id : vec3<u32>) {
  let row = id.y;
  let col = id.x;
  if (row >= n || col >= n) {
    return;  // the last workgroups overhang the matrix when n is not a multiple of 8
  }
  var sum = 0.0;
  for (var k = 0u; k < n; k = k + 1u) {
    sum = sum + a[row * n + k] * b[k * n + col];
  }
  c[row * n + col] = sum;
}
