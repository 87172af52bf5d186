/**
 * Exact t-SNE (van der Maaten & Hinton, 2008) for visualising the 512-d
 * features of a few thousand test images. O(N²) time and memory per iteration,
 * which is fine up to ~2000 points; no Barnes-Hut tree, so the result is the
 * exact gradient descent of the paper.
 *
 * Steps: optional PCA to 50 dimensions (removes noise dimensions and makes the
 * pairwise distances cheaper), Gaussian affinities whose bandwidth per point is
 * found by binary search to match the perplexity, symmetrised P, Student-t Q,
 * gradient descent with momentum and per-coordinate adaptive gains, early
 * exaggeration for the first iterations.
 */

export interface TsneOptions {
  /** Effective number of neighbours; clamped to (N − 1) / 3 for small N. Default 30. */
  perplexity?: number;
  /** Gradient-descent iterations in total. Default 1000. */
  iterations?: number;
  /** Learning rate; 'auto' = max(200, N / 12). */
  learningRate?: number | 'auto';
  /** P is multiplied by this during the first `exaggerationIterations`. Default 12. */
  earlyExaggeration?: number;
  exaggerationIterations?: number;
  /** Momentum before / after `exaggerationIterations`. Defaults 0.5 / 0.8. */
  initialMomentum?: number;
  finalMomentum?: number;
  /** Reduce to this many dimensions with PCA first when D is larger; 0 disables. Default 50. */
  pcaDims?: number;
  /** Seed of the PRNG used for the initial layout and the PCA start vectors. Default 0. */
  seed?: number;
  /** Called every 50 iterations and at the end (e.g. for a progress line). */
  onProgress?: (iteration: number, total: number) => void;
}

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG, so layouts depend only on the seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform PRNG (Box–Muller). */
function gaussian(rand: () => number): () => number {
  return () => {
    const u = 1 - rand(); // (0, 1]: log never sees 0
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Mean-centre the columns of an n×d matrix into float64 (precision matters for the distances). */
function centred(data: ArrayLike<number>, n: number, d: number): Float64Array {
  const x = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k]! += data[i * d + k]! / n;
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) x[i * d + k] = data[i * d + k]! - mean[k]!;
  return x;
}

/**
 * Orthonormalise the k columns of an m×k matrix in place: Gram–Schmidt run
 * twice per column ("twice is enough" for orthogonality in floating point).
 * A column that vanishes (the matrix has rank < k) is replaced by a random
 * vector and orthogonalised again, so the result is always a full basis.
 */
function orthonormalise(v: Float64Array, m: number, k: number, rand: () => number): void {
  const norm = (j: number): number => {
    let s = 0;
    for (let r = 0; r < m; r++) s += v[r * k + j]! ** 2;
    return Math.sqrt(s);
  };
  for (let j = 0; j < k; j++) {
    for (let attempt = 0; ; attempt++) {
      const before = norm(j);
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < j; p++) {
          let dot = 0;
          for (let r = 0; r < m; r++) dot += v[r * k + j]! * v[r * k + p]!;
          for (let r = 0; r < m; r++) v[r * k + j]! -= dot * v[r * k + p]!;
        }
      }
      const after = norm(j);
      if (after > 1e-10 * before && after > 0) {
        for (let r = 0; r < m; r++) v[r * k + j]! /= after;
        break;
      }
      if (attempt > 5) throw new Error('tsne: could not build an orthonormal basis (non-finite input?)');
      for (let r = 0; r < m; r++) v[r * k + j] = rand() - 0.5;
    }
  }
}

/**
 * Eigen-decomposition of a small symmetric l×l matrix by cyclic Jacobi
 * rotations (destroys `a`). Returns eigenvalues and column eigenvectors,
 * sorted by decreasing eigenvalue. O(l³) per sweep; used for l ≈ 60.
 */
export function symmetricEigen(a: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0, diag = 0;
    for (let p = 0; p < l; p++) {
      diag += a[p * l + p]! ** 2;
      for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    }
    if (off <= 1e-24 * diag || off === 0) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        // Rotation that zeroes a[p][q] (Numerical Recipes' convention): A ← PᵀAP.
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let r = 0; r < l; r++) {
          const arp = a[r * l + p]!, arq = a[r * l + q]!;
          a[r * l + p] = c * arp - sn * arq;
          a[r * l + q] = sn * arp + c * arq;
        }
        for (let r = 0; r < l; r++) {
          const apr = a[p * l + r]!, aqr = a[q * l + r]!;
          a[p * l + r] = c * apr - sn * aqr;
          a[q * l + r] = sn * apr + c * aqr;
        }
        for (let r = 0; r < l; r++) {
          const vrp = v[r * l + p]!, vrq = v[r * l + q]!;
          v[r * l + p] = c * vrp - sn * vrq;
          v[r * l + q] = sn * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: l }, (_, i) => i).sort((i, j) => a[j * l + j]! - a[i * l + i]!);
  const values = Float64Array.from(order, (i) => a[i * l + i]!);
  const vectors = new Float64Array(l * l);
  order.forEach((src, dst) => { for (let r = 0; r < l; r++) vectors[r * l + dst] = v[r * l + src]!; });
  return { values, vectors };
}

/** out (m×l) = a (m×m, symmetric) · q (m×l). */
function multiply(a: Float64Array, q: Float64Array, m: number, l: number): Float64Array {
  const out = new Float64Array(m * l);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) {
      const arc = a[r * m + c]!;
      if (arc === 0) continue;
      for (let j = 0; j < l; j++) out[r * l + j]! += arc * q[c * l + j]!;
    }
  }
  return out;
}

/**
 * Project centred rows (n×d) onto their top-k principal directions.
 *
 * Works on the smaller of XᵀX (d×d) and XXᵀ (n×n): eigenvectors U of XXᵀ give
 * the projection directly as U·√λ, so wide inputs cost O(n²d), not O(nd²).
 * The top-k eigenvectors come from a randomised range finder (Halko et al.):
 * k + 10 random vectors, a few power iterations, then Rayleigh–Ritz on the
 * small projected matrix — far cheaper than iterating to convergence, and
 * accurate where it matters, in the leading components.
 */
export function pca(x: Float64Array, n: number, d: number, k: number, rand: () => number = mulberry32(0)): Float64Array {
  const useGram = n < d;
  const m = useGram ? n : d;
  k = Math.min(k, m);
  const a = new Float64Array(m * m);
  if (useGram) {
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += x[i * d + t]! * x[j * d + t]!;
        a[i * n + j] = s;
        a[j * n + i] = s;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let p = 0; p < d; p++) {
        const xp = x[row + p]!;
        if (xp === 0) continue;
        for (let q = p; q < d; q++) a[p * d + q]! += xp * x[row + q]!;
      }
    }
    for (let p = 0; p < d; p++) for (let q = 0; q < p; q++) a[p * d + q] = a[q * d + p]!;
  }
  const l = Math.min(m, k + 10);
  let q: Float64Array = new Float64Array(m * l);
  for (let i = 0; i < q.length; i++) q[i] = rand() - 0.5;
  orthonormalise(q, m, l, rand);
  for (let iter = 0; iter < 4; iter++) {
    q = multiply(a, q, m, l);
    orthonormalise(q, m, l, rand);
  }
  // Rayleigh–Ritz: B = Qᵀ A Q (l×l), B = S Λ Sᵀ, eigenvectors of A ≈ Q S.
  const aq = multiply(a, q, m, l);
  const b = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += q[r * l + i]! * aq[r * l + j]!;
      b[i * l + j] = s;
      b[j * l + i] = s;
    }
  }
  const { values, vectors } = symmetricEigen(b, l);
  const u = new Float64Array(m * k);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < l; t++) s += q[r * l + t]! * vectors[t * l + j]!;
      u[r * k + j] = s;
    }
  }
  const out = new Float64Array(n * k);
  if (useGram) {
    // X·(Xᵀu/√λ) = u·√λ
    for (let j = 0; j < k; j++) {
      const sq = Math.sqrt(Math.max(values[j]!, 0));
      for (let i = 0; i < n; i++) out[i * k + j] = u[i * k + j]! * sq;
    }
  } else {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += x[i * d + t]! * u[t * k + j]!;
        out[i * k + j] = s;
      }
    }
  }
  return out;
}

/** Squared Euclidean distances, full n×n (symmetric, zero diagonal). */
function squaredDistances(x: Float64Array, n: number, d: number): Float64Array {
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[i * d + t]! - x[j * d + t]!;
        s += diff * diff;
      }
      dist[i * n + j] = s;
      dist[j * n + i] = s;
    }
  }
  return dist;
}

/**
 * Conditional affinities p_{j|i} with a per-point precision β_i = 1/(2σ_i²)
 * found by bisection so that the entropy of row i equals log(perplexity),
 * then symmetrised: p_ij = (p_{j|i} + p_{i|j}) / 2N.
 */
function affinities(dist: Float64Array, n: number, perplexity: number): Float64Array {
  const p = new Float64Array(n * n);
  const target = Math.log(perplexity);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Distances shifted by the row's nearest neighbour: the same P, but exp() cannot underflow to 0/0.
    let dmin = Infinity;
    for (let j = 0; j < n; j++) if (j !== i && dist[i * n + j]! < dmin) dmin = dist[i * n + j]!;
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let tries = 0; tries < 100; tries++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) { row[j] = 0; continue; }
        const dj = dist[i * n + j]! - dmin;
        const e = Math.exp(-beta * dj);
        row[j] = e;
        sum += e;
        weighted += dj * e;
      }
      // H = log Σ e + β·E[d]
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      const diff = entropy - target;
      if (Math.abs(diff) < 1e-5) break;
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
    let sum = 0;
    for (let j = 0; j < n; j++) sum += row[j]!;
    for (let j = 0; j < n; j++) p[i * n + j] = row[j]! / sum;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // floor at 1e-12 as in the reference implementation, so log terms and gains stay finite
      const s = Math.max((p[i * n + j]! + p[j * n + i]!) / (2 * n), 1e-12);
      p[i * n + j] = s;
      p[j * n + i] = s;
    }
  }
  return p;
}

/**
 * 2-D t-SNE embedding of `n` points given as an n×d row-major matrix.
 * Returns an n×2 row-major Float32Array, centred at the origin. Deterministic
 * for a given seed and input.
 */
export function tsne(data: ArrayLike<number>, n: number, d: number, options: TsneOptions = {}): Float32Array {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1) throw new RangeError(`tsne: bad shape ${n}×${d}`);
  if (data.length !== n * d) throw new RangeError(`tsne: data has ${data.length} values, expected ${n}×${d} = ${n * d}`);
  const out = new Float32Array(n * 2);
  if (n < 2) return out;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new RangeError(`tsne: value ${i} (row ${Math.floor(i / d)}) is not finite`);
  }

  const iterations = options.iterations ?? 1000;
  const exaggeration = options.earlyExaggeration ?? 12;
  const exaggerationIterations = options.exaggerationIterations ?? 250;
  const momentum0 = options.initialMomentum ?? 0.5;
  const momentum1 = options.finalMomentum ?? 0.8;
  const lr = options.learningRate === undefined || options.learningRate === 'auto' ? Math.max(200, n / 12) : options.learningRate;
  // Perplexity must stay well below n or no bandwidth can reach it.
  const perplexity = Math.max(1, Math.min(options.perplexity ?? 30, (n - 1) / 3));
  const pcaDims = options.pcaDims ?? 50;
  const rand = mulberry32(options.seed ?? 0);

  let x = centred(data, n, d);
  let dims = d;
  if (pcaDims > 0 && d > pcaDims) {
    x = pca(x, n, d, pcaDims, rand);
    dims = pcaDims;
  }
  const p = affinities(squaredDistances(x, n, dims), n, perplexity);

  const normal = gaussian(rand);
  const y = new Float64Array(n * 2);
  for (let i = 0; i < y.length; i++) y[i] = 1e-4 * normal();
  const update = new Float64Array(n * 2);
  const gains = new Float64Array(n * 2).fill(1);
  const attract = new Float64Array(n * 2);
  const repel = new Float64Array(n * 2);

  for (let iter = 0; iter < iterations; iter++) {
    const exag = iter < exaggerationIterations ? exaggeration : 1;
    const momentum = iter < exaggerationIterations ? momentum0 : momentum1;
    // One pass over pairs: the gradient 4 Σ_j (p_ij − q_ij)·w_ij·(y_i − y_j) with
    // w = 1/(1+|y_i−y_j|²) and q = w/Z splits into an attractive sum and a
    // repulsive sum that only needs Z at the end.
    attract.fill(0);
    repel.fill(0);
    let z = 0;
    for (let i = 0; i < n; i++) {
      const yi0 = y[2 * i]!;
      const yi1 = y[2 * i + 1]!;
      const prow = i * n;
      let ai0 = 0, ai1 = 0, ri0 = 0, ri1 = 0;
      for (let j = i + 1; j < n; j++) {
        const d0 = yi0 - y[2 * j]!;
        const d1 = yi1 - y[2 * j + 1]!;
        const w = 1 / (1 + d0 * d0 + d1 * d1);
        z += 2 * w;
        const a = exag * p[prow + j]! * w;
        const r = w * w;
        ai0 += a * d0; ai1 += a * d1;
        ri0 += r * d0; ri1 += r * d1;
        attract[2 * j]! -= a * d0; attract[2 * j + 1]! -= a * d1;
        repel[2 * j]! -= r * d0; repel[2 * j + 1]! -= r * d1;
      }
      attract[2 * i]! += ai0; attract[2 * i + 1]! += ai1;
      repel[2 * i]! += ri0; repel[2 * i + 1]! += ri1;
    }
    for (let k = 0; k < n * 2; k++) {
      const grad = 4 * (attract[k]! - repel[k]! / z);
      // Adaptive gains (Jacobs 1988, as in van der Maaten's reference code): grow
      // by 0.2 while the last step went downhill (sign opposite to the gradient),
      // shrink by 0.8 when momentum carried it uphill; never below 0.01.
      const sameSign = grad > 0 === update[k]! > 0;
      gains[k] = Math.max(sameSign ? gains[k]! * 0.8 : gains[k]! + 0.2, 0.01);
      update[k] = momentum * update[k]! - lr * gains[k]! * grad;
      y[k]! += update[k]!;
    }
    let m0 = 0, m1 = 0;
    for (let i = 0; i < n; i++) { m0 += y[2 * i]!; m1 += y[2 * i + 1]!; }
    m0 /= n; m1 /= n;
    for (let i = 0; i < n; i++) { y[2 * i]! -= m0; y[2 * i + 1]! -= m1; }
    if (options.onProgress && ((iter + 1) % 50 === 0 || iter + 1 === iterations)) options.onProgress(iter + 1, iterations);
  }
  for (let k = 0; k < n * 2; k++) out[k] = y[k]!;
  return out;
}
