/**
 * The PNG container shared by semifer's two small encoders (synthetic faces in
 * src/data/synth/png.ts, report crops in src/report/png.ts): CRC-32, chunks,
 * signature and IHDR. Each encoder chooses its own row filter and deflate call.
 */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out, 4, 8 + data.length), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG colour type of 8-bit interleaved pixels with 1 (grey), 3 (RGB) or 4 (RGBA) channels. */
function colourType(channels: 1 | 3 | 4): number {
  return channels === 1 ? 0 : channels === 3 ? 2 : 6;
}

/** A whole PNG file from its already compressed IDAT stream (8-bit, no interlace). */
export function assemblePng(width: number, height: number, channels: 1 | 3 | 4, idat: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colourType(channels);
  // compression, filter method, interlace: all 0
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}
