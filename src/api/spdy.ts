// spdy.ts speaks SPDY/3.1 framing, the transport of `kubectl port-forward` (and of exec's fallback): control and data
// frames, zlib-compressed header blocks with the SPDY/3 dictionary, one compression context per direction for the
// whole connection. It is transport-agnostic: feed it received bytes, give it a function that sends bytes. Used by
// the daemon (server side) and the CLI (client side). Follows the SPDY/3.1 draft (draft-mbelshe-httpbis-spdy-00 and
// the 3.1 flow-control amendment) as moby/spdystream implements it for Kubernetes.
import {constants, createDeflate, createInflate, type Deflate, type Inflate} from 'node:zlib'

// The SPDY/3 header dictionary: length-prefixed header names and values, then a block of common value text.
const DICTIONARY_WORDS = [
  'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding',
  'accept-language', 'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection',
  'content-base', 'content-encoding', 'content-language', 'content-length', 'content-location', 'content-md5',
  'content-range', 'content-type', 'date', 'etag', 'expect', 'expires', 'from', 'host', 'if-match',
  'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'last-modified', 'location',
  'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer', 'retry-after',
  'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning',
  'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie',
  'keep-alive', 'origin',
] // prettier-ignore
const DICTIONARY_TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
  '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
  'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.'

/** SPDY_DICTIONARY is the 1423-byte zlib dictionary of SPDY/3 header blocks. */
export const SPDY_DICTIONARY: Buffer = Buffer.concat([
  ...DICTIONARY_WORDS.map((w) => {
    const b = Buffer.alloc(4 + w.length)
    b.writeUInt32BE(w.length, 0)
    b.write(w, 4, 'latin1')
    return b
  }),
  Buffer.from(DICTIONARY_TAIL, 'latin1'),
])

/** FrameType numbers SPDY/3 control frames. */
export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const

/** FLAG_FIN ends a stream's direction. */
export const FLAG_FIN = 0x01

/** Headers are a header block's name → value pairs (names lower-case). */
export type Headers = Record<string, string>

/** Frame is one parsed frame. */
export type Frame =
  | {type: 'data'; streamId: number; fin: boolean; data: Buffer}
  | {type: 'synStream'; streamId: number; fin: boolean; headers: Headers}
  | {type: 'synReply'; streamId: number; fin: boolean; headers: Headers}
  | {type: 'rstStream'; streamId: number; status: number}
  | {type: 'ping'; id: number}
  | {type: 'goaway'; lastStreamId: number; status: number}
  | {type: 'other'; frameType: number}

/** encodeHeaderBlock serialises headers before compression (32-bit counts and lengths). */
export function encodeHeaderBlock(h: Headers): Buffer {
  const parts: Buffer[] = []
  const u32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeUInt32BE(n, 0)
    return b
  }
  const entries = Object.entries(h)
  parts.push(u32(entries.length))
  for (const [k, v] of entries) {
    const kb = Buffer.from(k.toLowerCase(), 'utf8')
    const vb = Buffer.from(v, 'utf8')
    parts.push(u32(kb.length), kb, u32(vb.length), vb)
  }
  return Buffer.concat(parts)
}

/** decodeHeaderBlock parses a decompressed header block (NUL-separated multiple values are joined by commas). */
export function decodeHeaderBlock(b: Buffer): Headers {
  const out: Headers = {}
  if (b.length < 4) return out
  const n = b.readUInt32BE(0)
  let at = 4
  for (let i = 0; i < n && at + 4 <= b.length; i++) {
    const kl = b.readUInt32BE(at)
    const k = b.subarray(at + 4, at + 4 + kl).toString('utf8')
    at += 4 + kl
    const vl = b.readUInt32BE(at)
    const v = b.subarray(at + 4, at + 4 + vl).toString('utf8')
    at += 4 + vl
    out[k] = v.split('\0').join(',')
  }
  return out
}

/** zlibStep pushes bytes through a persistent zlib stream and returns what a SYNC_FLUSH yields. */
function zlibStep(z: Deflate | Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const onData = (c: Buffer) => chunks.push(c)
    const onError = (e: Error) => {
      z.off('data', onData)
      reject(e)
    }
    z.on('data', onData)
    z.once('error', onError)
    if (input.length) z.write(input)
    z.flush(constants.Z_SYNC_FLUSH, () => {
      z.off('data', onData)
      z.off('error', onError)
      resolve(Buffer.concat(chunks))
    })
  })
}

/**
 * SpdyConnection is one end of a SPDY/3.1 connection. Received bytes go to receive(); parsed frames come out, in
 * order, through onFrame. Sending methods queue frames in order (header compression is asynchronous).
 */
export class SpdyConnection {
  private buffer: Buffer = Buffer.alloc(0)
  private readonly inflate = createInflate({dictionary: SPDY_DICTIONARY})
  private readonly deflate = createDeflate({dictionary: SPDY_DICTIONARY})
  /** inbound and outbound chain work so frames keep their order despite asynchronous (de)compression. */
  private inbound: Promise<void> = Promise.resolve()
  private outbound: Promise<void> = Promise.resolve()
  private closed = false

  constructor(
    private readonly send: (bytes: Buffer) => void,
    private readonly onFrame: (f: Frame) => void | Promise<void>,
    private readonly onError: (e: Error) => void = () => {},
  ) {}

  /** receive takes bytes from the transport (any split: frames may span or share chunks). */
  receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
    for (;;) {
      if (this.buffer.length < 8) return
      const length = this.buffer.readUIntBE(5, 3)
      if (this.buffer.length < 8 + length) return
      const frame = this.buffer.subarray(0, 8 + length)
      this.buffer = this.buffer.subarray(8 + length)
      this.inbound = this.inbound.then(() => this.parse(frame)).catch((e: Error) => this.onError(e))
    }
  }

  private async parse(f: Buffer): Promise<void> {
    const flags = f[4]!
    const body = f.subarray(8)
    if ((f[0]! & 0x80) === 0) {
      await this.onFrame({
        type: 'data',
        streamId: f.readUInt32BE(0) & 0x7fffffff,
        fin: (flags & FLAG_FIN) !== 0,
        data: body,
      })
      return
    }
    const type = f.readUInt16BE(2)
    switch (type) {
      case FrameType.SYN_STREAM: {
        const headers = decodeHeaderBlock(await zlibStep(this.inflate, body.subarray(10)))
        await this.onFrame({
          type: 'synStream',
          streamId: body.readUInt32BE(0) & 0x7fffffff,
          fin: (flags & FLAG_FIN) !== 0,
          headers,
        })
        return
      }
      case FrameType.SYN_REPLY: {
        const headers = decodeHeaderBlock(await zlibStep(this.inflate, body.subarray(4)))
        await this.onFrame({
          type: 'synReply',
          streamId: body.readUInt32BE(0) & 0x7fffffff,
          fin: (flags & FLAG_FIN) !== 0,
          headers,
        })
        return
      }
      case FrameType.HEADERS:
        // Keep the inflate context in step even though the headers are not used.
        await zlibStep(this.inflate, body.subarray(4))
        return
      case FrameType.RST_STREAM:
        await this.onFrame({
          type: 'rstStream',
          streamId: body.readUInt32BE(0) & 0x7fffffff,
          status: body.readUInt32BE(4),
        })
        return
      case FrameType.PING:
        await this.onFrame({type: 'ping', id: body.readUInt32BE(0)})
        return
      case FrameType.GOAWAY:
        await this.onFrame({
          type: 'goaway',
          lastStreamId: body.readUInt32BE(0) & 0x7fffffff,
          status: body.length >= 8 ? body.readUInt32BE(4) : 0,
        })
        return
      default:
        await this.onFrame({type: 'other', frameType: type})
    }
  }

  private control(type: number, flags: number, body: Buffer): Buffer {
    const h = Buffer.alloc(8)
    h.writeUInt16BE(0x8003, 0)
    h.writeUInt16BE(type, 2)
    h.writeUInt8(flags, 4)
    h.writeUIntBE(body.length, 5, 3)
    return Buffer.concat([h, body])
  }

  private queue(make: () => Buffer | Promise<Buffer>): Promise<void> {
    this.outbound = this.outbound.then(async () => {
      const bytes = await make()
      if (!this.closed) this.send(bytes)
    })
    return this.outbound.catch((e: Error) => this.onError(e))
  }

  /** synStream opens a stream (client side: odd ids). */
  synStream(streamId: number, headers: Headers, fin = false): Promise<void> {
    return this.queue(async () => {
      const block = await zlibStep(this.deflate, encodeHeaderBlock(headers))
      const b = Buffer.alloc(10)
      b.writeUInt32BE(streamId, 0)
      b.writeUInt32BE(0, 4)
      return this.control(FrameType.SYN_STREAM, fin ? FLAG_FIN : 0, Buffer.concat([b, block]))
    })
  }

  /** synReply accepts a stream the peer opened. */
  synReply(streamId: number, headers: Headers = {}, fin = false): Promise<void> {
    return this.queue(async () => {
      const block = await zlibStep(this.deflate, encodeHeaderBlock(headers))
      const b = Buffer.alloc(4)
      b.writeUInt32BE(streamId, 0)
      return this.control(FrameType.SYN_REPLY, fin ? FLAG_FIN : 0, Buffer.concat([b, block]))
    })
  }

  /** data sends bytes on a stream (split into frames of at most 64 KiB); fin ends this side of it. */
  data(streamId: number, bytes: Buffer, fin = false): Promise<void> {
    return this.queue(() => {
      const frames: Buffer[] = []
      const max = 0xffff
      let at = 0
      do {
        const part = bytes.subarray(at, at + max)
        at += part.length
        const h = Buffer.alloc(8)
        h.writeUInt32BE(streamId & 0x7fffffff, 0)
        h.writeUInt8(fin && at >= bytes.length ? FLAG_FIN : 0, 4)
        h.writeUIntBE(part.length, 5, 3)
        frames.push(h, part)
      } while (at < bytes.length)
      return Buffer.concat(frames)
    })
  }

  /** rstStream aborts a stream (status 5 = CANCEL). */
  rstStream(streamId: number, status = 5): Promise<void> {
    const b = Buffer.alloc(8)
    b.writeUInt32BE(streamId, 0)
    b.writeUInt32BE(status, 4)
    return this.queue(() => this.control(FrameType.RST_STREAM, 0, b))
  }

  /** ping sends (or echoes) a PING. */
  ping(id: number): Promise<void> {
    const b = Buffer.alloc(4)
    b.writeUInt32BE(id, 0)
    return this.queue(() => this.control(FrameType.PING, 0, b))
  }

  /** goaway tells the peer no new streams will be accepted. */
  goaway(lastStreamId = 0): Promise<void> {
    const b = Buffer.alloc(8)
    b.writeUInt32BE(lastStreamId, 0)
    return this.queue(() => this.control(FrameType.GOAWAY, 0, b))
  }

  /** close releases the compression contexts; nothing is sent afterwards. */
  close(): void {
    this.closed = true
    this.inflate.close()
    this.deflate.close()
  }
}
