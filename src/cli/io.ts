// io.ts holds IOStreams, the in/out/err triple every Options writes to (follows cli-runtime genericiooptions
// IOStreams). Commands get the process streams; tests get buffers.
import {PassThrough, Writable, type Readable} from 'node:stream'

/** IOStreams is where a command reads input and writes output and errors. */
export interface IOStreams {
  in: Readable
  out: Writable
  errOut: Writable
  /** isTerminal tells whether out is a TTY (kubectl turns colours and some decorations off otherwise). */
  isTerminal: boolean
}

/** systemIOStreams returns the process's stdin, stdout and stderr. */
export function systemIOStreams(): IOStreams {
  return {in: process.stdin, out: process.stdout, errOut: process.stderr, isTerminal: Boolean(process.stdout.isTTY)}
}

/** BufferedIOStreams is an IOStreams over memory buffers, for tests (genericiooptions.NewTestIOStreams). */
export interface BufferedIOStreams extends IOStreams {
  outText(): string
  errText(): string
}

/** bufferedIOStreams returns IOStreams whose output is kept in memory; input is the given text. */
export function bufferedIOStreams(input = '', isTerminal = false): BufferedIOStreams {
  const out: Buffer[] = []
  const err: Buffer[] = []
  const sink = (into: Buffer[]) => {
    // _write runs synchronously on an uncorked Writable, so outText() sees every completed write at once.
    return new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        into.push(Buffer.from(chunk))
        cb()
      },
    })
  }
  const stdin = new PassThrough()
  stdin.end(input)
  return {
    in: stdin,
    out: sink(out),
    errOut: sink(err),
    isTerminal,
    outText: () => Buffer.concat(out).toString('utf8'),
    errText: () => Buffer.concat(err).toString('utf8'),
  }
}

/** write writes text to a stream and resolves once it is flushed (so the process can exit without losing it). */
export function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (text === '') return resolve()
    stream.write(text, (e) => (e ? reject(e) : resolve()))
  })
}
