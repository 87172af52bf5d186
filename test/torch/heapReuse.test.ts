// Freed tensor memory is reused from the C heap rather than returned to the
// kernel and page-faulted in again on the next step (native/addon.cc,
// keepFreedMemory; docs/performance.md, "MobileFaceNet against ResNet-18").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';

test('a freed 40 MiB tensor is reused: ten more allocations of it fault in less than half of their pages', (t) => {
  if (torch.memory().mallocBytes === undefined) return t.skip('not glibc');
  if (process.env.MALLOC_MMAP_THRESHOLD_ || process.env.MALLOC_TRIM_THRESHOLD_ || process.env.GLIBC_TUNABLES) return t.skip('the environment sets the allocator');
  const n = 10 << 20; // float32: 40 MiB, over glibc's largest adaptive mmap threshold (32 MiB)
  const pages = (n * 4) / 4096;
  const touch = () => torch.tidy(() => torch.zeros([n]).sum().item());
  // The heap takes a few allocations to settle: small blocks allocated in
  // between may split a freed one, and a new one is then faulted in.
  for (let i = 0; i < 20; i++) touch();
  const before = process.resourceUsage().minorPageFault;
  for (let i = 0; i < 10; i++) touch();
  const faults = process.resourceUsage().minorPageFault - before;
  // Returned to the kernel each time (glibc's default for blocks over 32 MiB), the ten fault in 10 × pages.
  assert.ok(faults < 5 * pages, `${faults} minor page faults for 10 allocations of ${pages} pages`);
});
