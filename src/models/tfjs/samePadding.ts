/**
 * TensorFlow's 'SAME' padding in PyTorch's terms. TF pads so that the output
 * has ⌈size / stride⌉ pixels and puts the odd pixel after (bottom/right);
 * PyTorch's convolution pads both sides alike. So SAME is either a symmetric
 * `padding` for the convolution or, when the total is odd (a 3×3 stride-2
 * convolution on an even size), an explicit F.pad before it.
 */
export type SamePadding =
  | { kind: 'symmetric'; padding: [h: number, w: number] }
  | { kind: 'explicit'; pads: [left: number, right: number, top: number, bottom: number] };

export function samePadding(size: readonly [h: number, w: number], kernel: readonly number[], stride: readonly number[], dilation: readonly number[] = [1, 1]): SamePadding {
  const sides = size.map((n, i) => {
    const out = Math.ceil(n / stride[i]!);
    const total = Math.max((out - 1) * stride[i]! + (kernel[i]! - 1) * dilation[i]! + 1 - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)] as const;
  });
  const [h, w] = sides as [readonly [number, number], readonly [number, number]];
  if (h[0] === h[1] && w[0] === w[1]) return { kind: 'symmetric', padding: [h[0], w[0]] };
  return { kind: 'explicit', pads: [w[0], w[1], h[0], h[1]] };
}
