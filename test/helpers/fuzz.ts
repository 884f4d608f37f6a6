// fuzz.ts holds what the property-based suites (test/reliability/fuzz-*.test.ts, issue 7 §1) share: run counts
// scaled by MKCTL_FUZZ_SCALE (the soak runs use 20), fixed seeds overridable by MKCTL_FUZZ_SEED, a process-wide
// tripwire for unhandled rejections and uncaught exceptions, a keep-alive HTTPS client that keeps response headers
// and can stop reading a watch, and the check that a failure is a well-formed Kubernetes Status.
import assert from 'node:assert/strict'
import https from 'node:https'
import fc from 'fast-check'
import {startTestDaemon, type TestDaemon} from './daemon.js'

/** FUZZ_SCALE multiplies every suite's run count (MKCTL_FUZZ_SCALE, default 1). */
export const FUZZ_SCALE = Math.max(0.01, Number(process.env.MKCTL_FUZZ_SCALE ?? 1) || 1)

/** runs scales a suite's run count. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * FUZZ_SCALE))
}

/** seedFor returns MKCTL_FUZZ_SEED when set, else the suite's fixed seed. */
export function seedFor(fixed: number): number {
  const env = process.env.MKCTL_FUZZ_SEED
  return env !== undefined && env !== '' ? Number(env) : fixed
}

/**
 * check runs a property with a fixed seed and a run count; on failure the error names the seed and how to replay
 * it (fast-check's own report, with its counterexample and path, follows).
 */
export async function check<Ts>(
  name: string,
  prop: fc.IAsyncPropertyWithHooks<Ts> | fc.IPropertyWithHooks<Ts>,
  seed: number,
  numRuns: number,
): Promise<void> {
  try {
    await fc.assert(prop as fc.IAsyncProperty<Ts>, {seed, numRuns, endOnFailure: true})
  } catch (e) {
    const msg = (e as Error).message
    throw new Error(`${name} failed with seed ${seed} (replay: MKCTL_FUZZ_SEED=${seed} npx mocha ...)\n${msg}`, {
      cause: e,
    })
  }
}

/** Tripwire records unhandled rejections and uncaught exceptions while installed. */
export interface Tripwire {
  readonly events: string[]
  /** assertClean fails when anything was recorded. */
  assertClean(): void
  remove(): void
}

/** installTripwire listens for 'unhandledRejection' and 'uncaughtException' on process until removed. */
export function installTripwire(): Tripwire {
  const events: string[] = []
  const onRejection = (e: unknown) => events.push(`unhandledRejection: ${(e as Error)?.stack ?? String(e)}`)
  const onException = (e: unknown) => events.push(`uncaughtException: ${(e as Error)?.stack ?? String(e)}`)
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  return {
    events,
    assertClean() {
      assert.deepEqual(events, [], 'unhandled rejections or uncaught exceptions were raised')
    },
    remove() {
      process.off('unhandledRejection', onRejection)
      process.off('uncaughtException', onException)
    },
  }
}

/** FuzzReply is one answered request. */
export interface FuzzReply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: any
  /** streaming: a 200 watch whose body was not read (the request was cut after the headers). */
  streaming: boolean
}

/** FuzzRequest is one request of a fuzz case. */
export interface FuzzRequest {
  method: string
  path: string
  body?: string | Buffer
  contentType?: string
  headers?: Record<string, string>
}

/** FuzzClient sends requests over one keep-alive connection with the daemon's token and CA. */
export class FuzzClient {
  private readonly agent: https.Agent

  constructor(
    readonly url: string,
    private readonly ca: string,
    private readonly token: string,
  ) {
    this.agent = new https.Agent({keepAlive: true, maxSockets: 1, ca})
  }

  send(r: FuzzRequest): Promise<FuzzReply> {
    const u = new URL(this.url)
    const h: Record<string, string> = {Accept: 'application/json', Authorization: `Bearer ${this.token}`, ...r.headers}
    const payload = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body)
    if (payload) {
      h['Content-Type'] = r.contentType ?? 'application/json'
      h['Content-Length'] = String(payload.length)
    }
    return new Promise((resolve, reject) => {
      const req = https.request(
        {host: u.hostname, port: u.port, path: r.path, method: r.method, headers: h, agent: this.agent},
        (res) => {
          const ct = String(res.headers['content-type'] ?? '')
          // A watch that started streams until its timeout (never, on a fake clock): take the headers and go.
          if (res.statusCode === 200 && (res.headers['transfer-encoding'] === 'chunked' || /watch/.test(ct))) {
            if (/[?&]watch=(1|true|t)/i.test(r.path) || /watch/.test(ct)) {
              res.destroy()
              req.destroy()
              resolve({status: 200, headers: res.headers, text: '', json: undefined, streaming: true})
              return
            }
          }
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let json: any
            try {
              json = JSON.parse(text)
            } catch {
              json = undefined
            }
            resolve({status: res.statusCode ?? 0, headers: res.headers, text, json, streaming: false})
          })
        },
      )
      req.on('error', reject)
      if (payload) req.write(payload)
      req.end()
    })
  }

  close(): void {
    this.agent.destroy()
  }
}

/** REASONS maps each HTTP failure code to the Status reasons the apiserver gives with it (metav1 StatusReason*). */
export const REASONS: Record<number, string[]> = {
  400: ['BadRequest'],
  401: ['Unauthorized'],
  403: ['Forbidden'],
  404: ['NotFound'],
  405: ['MethodNotAllowed'],
  406: ['NotAcceptable'],
  409: ['Conflict', 'AlreadyExists'],
  410: ['Expired', 'Gone'],
  413: ['RequestEntityTooLarge'],
  415: ['UnsupportedMediaType'],
  422: ['Invalid'],
  429: ['TooManyRequests'],
  // storage.NewTooLargeResourceVersionError: a list at a revision the store has not reached.
  504: ['Timeout'],
}

/**
 * assertClientFailure checks that a failed answer is a Kubernetes Status as the apiserver writes it: kind Status,
 * apiVersion v1, status Failure, a message, `code` equal to the HTTP status, a 4xx code (or the apiserver's 504 for a
 * resourceVersion it has not reached) and the reason that goes with it. what describes the request for the assertion message.
 */
export function assertClientFailure(r: FuzzReply, what: string): void {
  const ctx = `${what}\n→ ${r.status} ${r.text.slice(0, 600)}`
  assert.ok((r.status >= 400 && r.status < 500) || r.status === 504, `expected a 4xx answer: ${ctx}`)
  assert.ok(r.json && typeof r.json === 'object', `failure body is not JSON: ${ctx}`)
  assert.equal(r.json.kind, 'Status', ctx)
  assert.equal(r.json.apiVersion, 'v1', ctx)
  assert.equal(r.json.status, 'Failure', ctx)
  assert.equal(r.json.code, r.status, ctx)
  assert.equal(typeof r.json.message, 'string', ctx)
  assert.ok((REASONS[r.status] ?? []).includes(r.json.reason), `reason ${r.json.reason} does not go with ${ctx}`)
}

/** describeRequest prints a request short enough for an assertion message. */
export function describeRequest(r: FuzzRequest): string {
  const body = r.body === undefined ? '' : ` body(${r.contentType ?? 'json'})=${String(r.body).slice(0, 300)}`
  return `${r.method} ${r.path}${body}`
}

// ---- value generators shared by the suites ----

/** oddString gives strings a validator must survive: empty, long, unicode, control characters, path-like. */
export function oddString(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '-',
      '.',
      '..',
      '/',
      'a/b',
      '%2F',
      '\u0000',
      'ÄÖÜ',
      '日本',
      '🙂',
      'a'.repeat(64),
      'a'.repeat(254),
    ),
    fc.string({maxLength: 20}),
    fc.string({unit: 'grapheme', maxLength: 12}),
    fc.string({unit: 'binary', maxLength: 12}),
    fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,70}[a-z0-9])?$/),
    fc.nat({max: 400}).map((n) => 'x'.repeat(n)),
  )
}

/** oddValue gives any JSON value, biased to the wrong types and edge numbers. */
export function oddValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    {weight: 3, arbitrary: oddString()},
    fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, [], {}),
    fc.integer(),
    fc.double({noNaN: true}),
    fc.array(fc.oneof(fc.string({maxLength: 5}), fc.integer()), {maxLength: 3}),
    fc.dictionary(fc.string({maxLength: 6}), fc.oneof(fc.string({maxLength: 6}), fc.integer(), fc.constant(null)), {
      maxKeys: 3,
    }),
  )
}

/** setPath returns a deep copy of obj with value written at path (creating objects on the way). */
export function setPath(obj: any, path: string[], value: unknown): any {
  const copy = structuredClone(obj)
  if (path.length === 0) return value
  let cur = copy
  for (const p of path.slice(0, -1)) {
    if (cur[p] === null || typeof cur[p] !== 'object') cur[p] = {}
    cur = cur[p]
  }
  cur[path[path.length - 1]] = value
  return copy
}

/** deletePath returns a deep copy of obj without path. */
export function deletePath(obj: any, path: string[]): any {
  const copy = structuredClone(obj)
  let cur = copy
  for (const p of path.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return copy
    cur = cur[p]
  }
  if (cur && typeof cur === 'object') delete cur[path[path.length - 1]]
  return copy
}

/** objectPaths lists the paths of obj's fields (objects and arrays walked), for mutations to aim at. */
export function objectPaths(obj: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (obj === null || typeof obj !== 'object') return out
  for (const [k, v] of Object.entries(obj)) {
    const p = [...prefix, k]
    out.push(p)
    objectPaths(v, p, out)
  }
  return out
}

/** FuzzTarget is one suite's daemon, client and tripwire, set by its before hook. */
export interface FuzzTarget {
  td: TestDaemon
  client: FuzzClient
  trip: Tripwire
}

/**
 * useFuzzDaemon registers a suite's hooks: a tripwire, an in-process daemon without controllers (so nothing but the
 * suite writes to the store) and a keep-alive client; setup runs once they are up. Call it inside describe().
 */
export function useFuzzDaemon(setup?: (t: FuzzTarget) => Promise<void>): FuzzTarget {
  const t = {} as FuzzTarget
  before(async () => {
    t.trip = installTripwire()
    t.td = await startTestDaemon({controllers: false})
    t.client = new FuzzClient(t.td.daemon.url, t.td.daemon.caCert, t.td.daemon.token)
    await setup?.(t)
  })
  after(async () => {
    t.client?.close()
    await t.td?.stop()
    t.trip?.remove()
  })
  return t
}
