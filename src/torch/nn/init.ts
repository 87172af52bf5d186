/** Parameter initialisation (torch.nn.init), in place and outside autograd. */
import type { Tensor } from '../tensor.js';
import { noGrad } from '../autograd.js';

/** fan_in and fan_out of a Linear (out×in) or Conv (out×in×kh×kw) weight. */
export function fans(t: Tensor): { fanIn: number; fanOut: number } {
  const s = t.shape;
  if (s.length < 2) throw new Error(`fans: need at least 2 dims, got [${s.join(',')}]`);
  const receptive = s.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: s[1] * receptive, fanOut: s[0] * receptive };
}

function gain(nonlinearity: 'relu' | 'linear' | 'leaky_relu', a = 0): number {
  if (nonlinearity === 'relu') return Math.SQRT2;
  if (nonlinearity === 'leaky_relu') return Math.sqrt(2 / (1 + a * a));
  return 1;
}

export function uniform_(t: Tensor, low: number, high: number): Tensor {
  return noGrad(() => t.uniform_(low, high));
}
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  return noGrad(() => t.normal_(mean, std));
}
export function constant_(t: Tensor, v: number): Tensor {
  return noGrad(() => t.fill_(v));
}
export const zeros_ = (t: Tensor) => constant_(t, 0);
export const ones_ = (t: Tensor) => constant_(t, 1);

export interface KaimingOptions { a?: number; mode?: 'fan_in' | 'fan_out'; nonlinearity?: 'relu' | 'leaky_relu' | 'linear' }

/** He et al. uniform: bound = gain·√(3/fan). PyTorch's Conv/Linear default is a=√5, leaky_relu. */
export function kaimingUniform_(t: Tensor, o: KaimingOptions = {}): Tensor {
  const { fanIn, fanOut } = fans(t);
  const fan = (o.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut;
  const bound = gain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0) * Math.sqrt(3 / fan);
  return uniform_(t, -bound, bound);
}

/** He et al. normal: std = gain/√fan (torchvision's ResNet uses fan_out, relu). */
export function kaimingNormal_(t: Tensor, o: KaimingOptions = {}): Tensor {
  const { fanIn, fanOut } = fans(t);
  const fan = (o.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut;
  return normal_(t, 0, gain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0) / Math.sqrt(fan));
}

/** Glorot uniform: bound = √(6/(fan_in+fan_out)). */
export function xavierUniform_(t: Tensor, g = 1): Tensor {
  const { fanIn, fanOut } = fans(t);
  const bound = g * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound);
}
