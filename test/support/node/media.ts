/** Tiny real audio and video containers, made as bytes, for upload tests. */

/** An MP4 box: size, type, content. */
function mp4Box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + body.length);
  return Buffer.concat([size, Buffer.from(type, 'latin1'), body]);
}

/** A full box: version 0, no flags, then its fields. */
function fullBox(type: string, fields: Buffer): Buffer {
  return mp4Box(type, Buffer.alloc(4), fields);
}

function uint32s(...values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => bytes.writeUInt32BE(value >>> 0, index * 4));
  return bytes;
}

/** The unity matrix every track and movie header carries. */
const matrix = uint32s(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000);

/**
 * The header of an MP4 movie whose one video track is `width` × `height` and plays for
 * `durationMs`, as a camera writes it with its index first ("fast start"); `fragmented`
 * makes it announce fragments after it, as browsers record MP4. The samples are left
 * out: what type sniffing and duration and size reading look at.
 */
export function mp4Bytes(options: { width: number; height: number; durationMs: number; fragmented?: boolean }): Buffer {
  const { width, height, durationMs } = options;
  const timescale = 1000;
  const mvhd = fullBox(
    'mvhd',
    Buffer.concat([uint32s(0, 0, timescale, durationMs, 0x10000), Buffer.from([1, 0]), Buffer.alloc(10), matrix, Buffer.alloc(24), uint32s(2)]),
  );
  const tkhd = fullBox(
    'tkhd',
    Buffer.concat([uint32s(0, 0, 1, 0, durationMs), Buffer.alloc(8), Buffer.alloc(8), matrix, uint32s(width << 16, height << 16)]),
  );
  const mdhd = fullBox('mdhd', Buffer.concat([uint32s(0, 0, timescale, durationMs), Buffer.from([0x55, 0xc4, 0, 0])]));
  const hdlr = fullBox('hdlr', Buffer.concat([uint32s(0), Buffer.from('vide', 'latin1'), Buffer.alloc(12), Buffer.from('Video\0', 'latin1')]));
  const trak = mp4Box('trak', tkhd, mp4Box('mdia', mdhd, hdlr));
  const mvex = options.fragmented ? [mp4Box('mvex', fullBox('trex', uint32s(1, 1, 0, 0, 0)))] : [];
  return Buffer.concat([
    mp4Box('ftyp', Buffer.from('isom', 'latin1'), uint32s(0x200), Buffer.from('isomiso2mp41', 'latin1')),
    mp4Box('moov', mvhd, trak, ...mvex),
    mp4Box('mdat', Buffer.alloc(64)),
  ]);
}

/** A mono 8 kHz 16-bit PCM WAV file of silence that plays for `durationMs`. */
export function wavBytes(durationMs: number): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(Math.round((rate * durationMs) / 1000) * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
