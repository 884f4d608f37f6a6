// list-stream.test.ts: the cached Table list (writeCachedTableList) and the JSON list written from stored texts
// (writeTextJsonList) against the general path they stand in for. Every answer must be byte-identical to
// JSON.stringify of buildTable over Registry.listLazy's page (or of the page itself): the same rows, items,
// continue tokens and remaining counts, at the same revision, however the objects and the clock moved meanwhile.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {ApiClient} from '../../helpers/http.js'
import {startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'
import {buildTable, convertorFor} from '../../../src/daemon/registry/tables/index.js'
import {EventEmitter} from 'node:events'
import {
  CHUNK_BYTES,
  rowCacheOf,
  servedText,
  serveRowsFrom,
  writeArray,
  type ListResponse,
} from '../../../src/daemon/apiserver/list-stream.js'
import {decodeObject, encodeObject} from '../../../src/daemon/storage/store.js'
import type {ListOptions} from '../../../src/daemon/registry/generic.js'

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'

describe('cached Table lists', () => {
  let t: TestDaemon
  let api: ApiClient
  const pods = () => t.daemon.resources().lookup('', 'v1', 'pods')!

  /** expected is what the general path writes for the same request. */
  function expected(ns: string | undefined, opts: ListOptions, includeObject?: 'None' | 'Metadata'): string {
    const list = t.daemon.registry.listLazy(pods(), ns, opts)
    const table = buildTable([...list.items], convertorFor('', 'Pod'), t.clock.now(), {
      ...(includeObject ? {includeObject} : {}),
      listMeta: list.metadata,
    })
    return JSON.stringify(table)
  }

  async function get(path: string): Promise<string> {
    const r = await api.request('GET', path, undefined, {Accept: TABLE})
    assert.equal(r.status, 200, r.text)
    return r.text
  }

  const pod = (ns: string, name: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: ns, labels: {app: 'x'}},
    // A node that does not exist: no kubelet touches these pods, so the test sets their status itself.
    spec: {nodeName: 'nowhere', containers: [{name: 'c', image: 'registry.k8s.io/pause:3.10'}]},
  })

  before(async () => {
    t = await startTestDaemon()
    api = new ApiClient(t.daemon.url, t.daemon.caCert, t.daemon.token)
    await api.request('POST', '/api/v1/namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'other'}})
    for (let i = 0; i < 7; i++) await api.request('POST', '/api/v1/namespaces/default/pods', pod('default', `p${i}`))
    for (let i = 0; i < 4; i++) await api.request('POST', '/api/v1/namespaces/other/pods', pod('other', `q${i}`))
    const st = await api.request('GET', '/api/v1/namespaces/default/pods/p1')
    const status = {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'c',
          ready: true,
          restartCount: 2,
          state: {running: {startedAt: '2024-01-01T00:00:00Z'}},
          lastState: {terminated: {exitCode: 1, finishedAt: new Date(t.clock.now() - 90_000).toISOString()}},
        },
      ],
    }
    const r = await api.request('PUT', '/api/v1/namespaces/default/pods/p1/status', {...st.json, status})
    assert.equal(r.status, 200, r.text)
    const done = await api.request('GET', '/api/v1/namespaces/default/pods/p2')
    await api.request('PUT', '/api/v1/namespaces/default/pods/p2/status', {...done.json, status: {phase: 'Succeeded'}})
  })
  after(async () => t.stop())

  it('writes what the general path writes, whole and in pages, and caches the rows', async () => {
    assert.equal(await get('/api/v1/pods'), expected(undefined, {}))
    assert.equal(await get('/api/v1/namespaces/default/pods'), expected('default', {}))
    assert.equal(await get('/api/v1/pods?includeObject=None'), expected(undefined, {}, 'None'))
    assert.ok(rowCacheOf(t.daemon.store).size >= 11)
    let cont: string | undefined
    let pages = 0
    do {
      const opts: ListOptions = {limit: 3, ...(cont ? {continue: cont} : {})}
      const want = expected(undefined, opts)
      const got = await get(`/api/v1/pods?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)
      assert.equal(got, want)
      cont = JSON.parse(got).metadata.continue
      pages++
    } while (cont)
    assert.ok(pages >= 4, `${pages} pages`)
  })

  it('follows changes, deletions and the clock, and keeps a paged list at its revision', async () => {
    const first = JSON.parse(await get('/api/v1/pods?limit=4'))
    const p3 = await api.request('GET', '/api/v1/namespaces/default/pods/p3')
    await api.request('PUT', '/api/v1/namespaces/default/pods/p3/status', {...p3.json, status: {phase: 'Failed'}})
    await api.request('DELETE', '/api/v1/namespaces/default/pods/p5?gracePeriodSeconds=0')
    await t.advance(30_000)
    // The next page still reads the first page's revision: p3 as it was, p5 still there.
    const opts: ListOptions = {limit: 4, continue: first.metadata.continue}
    const page2 = await get(`/api/v1/pods?limit=4&continue=${encodeURIComponent(first.metadata.continue)}`)
    assert.equal(page2, expected(undefined, opts))
    const now = await get('/api/v1/pods')
    assert.equal(now, expected(undefined, {}))
    const rows = JSON.parse(now).rows.map((r: any) => r.cells.slice(0, 3).join(' '))
    assert.ok(rows.includes('p3 0/1 Failed'), rows.join('\n'))
    assert.ok(!rows.some((r: string) => r.startsWith('p5 ')))
    // The cache never keeps an older revision over a newer one: the current list is still right.
    await get(`/api/v1/pods?limit=4&continue=${encodeURIComponent(first.metadata.continue)}`)
    assert.equal(await get('/api/v1/pods'), expected(undefined, {}))
  })

  it('leaves errors and selectors to the general path', async () => {
    const bad = await api.request('GET', '/api/v1/pods?limit=2&continue=nope', undefined, {Accept: TABLE})
    assert.equal(bad.status, 400)
    assert.equal(await get('/api/v1/pods?labelSelector=app%3Dx'), expected(undefined, {labelSelector: 'app=x'}))
    const future = await api.request(
      'GET',
      '/api/v1/pods?resourceVersion=99999999&resourceVersionMatch=Exact',
      undefined,
      {Accept: TABLE},
    )
    assert.equal(future.status, 504)
  })

  it('takes the objects of new rows from the informers when they hold the listed revision', async () => {
    const store = t.daemon.store
    const objectAt = store.objectAt.bind(store)
    let reads = 0
    store.objectAt = (rev: number) => {
      reads++
      return objectAt(rev)
    }
    const forget = () => (rowCacheOf(store) as unknown as {rows: Map<string, unknown>}).rows.clear()
    try {
      forget()
      assert.equal(await get('/api/v1/pods'), expected(undefined, {}))
      assert.equal(reads, 0)
      // Without the informers (or with a copy at another revision) the rows are read from the store, as before.
      const informer = t.daemon.cluster.manager.informers.existing('pods')!
      serveRowsFrom(store, (_r, key) => {
        const o = informer.getByKey(key)
        return o && {...o, metadata: {...o.metadata, resourceVersion: '1'}}
      })
      forget()
      assert.equal(await get('/api/v1/pods'), expected(undefined, {}))
      assert.equal(reads, JSON.parse(await get('/api/v1/pods')).rows.length)
    } finally {
      store.objectAt = objectAt
      serveRowsFrom(store, (_r, key) => t.daemon.cluster.manager.informers.existing('pods')?.getByKey(key))
    }
  })
})

describe('JSON lists from stored texts', () => {
  let t: TestDaemon
  let api: ApiClient

  /** expected is what the general path (writeJsonList of Registry.listLazy) writes for the same request. */
  function expected(plural: string, ns: string | undefined, opts: ListOptions): string {
    const r = t.daemon.resources().lookup('', 'v1', plural)!
    const list = t.daemon.registry.listLazy(r, ns, opts)
    return JSON.stringify({...list, items: [...list.items]})
  }

  async function get(path: string): Promise<string> {
    const r = await api.request('GET', path)
    assert.equal(r.status, 200, r.text)
    return r.text
  }

  // Values that a scan for the brace closing metadata must step over: braces, brackets, quotes and backslashes
  // inside strings, and text that is not ASCII.
  const tricky = ['}', '{"a":"}"}', '\\"}', '\\', ']', 'ünï}cödé 🎉', '"', '\u0000', '']

  before(async () => {
    t = await startTestDaemon()
    api = new ApiClient(t.daemon.url, t.daemon.caCert, t.daemon.token)
    for (const [i, v] of tricky.entries()) {
      const r = await api.request('POST', '/api/v1/namespaces/default/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {name: `cm${i}`, labels: {app: 'x'}, annotations: {[`a${v}`.replace(/[^a-z0-9]/g, '') || 'a']: v}},
        data: {[`k${i}`]: v, nested: JSON.stringify({metadata: {x: v}})},
      })
      assert.equal(r.status, 201, r.text)
    }
    // kind before apiVersion, as a client may send it.
    const r = await api.request('POST', '/api/v1/namespaces/default/configmaps', {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      data: {z: '1'},
      metadata: {name: 'zz'},
    })
    assert.equal(r.status, 201, r.text)
  })
  after(async () => t.stop())

  it('writes what the general path writes, whole and in pages', async () => {
    assert.equal(await get('/api/v1/configmaps'), expected('configmaps', undefined, {}))
    assert.equal(await get('/api/v1/namespaces/default/configmaps'), expected('configmaps', 'default', {}))
    assert.equal(await get('/api/v1/namespaces'), expected('namespaces', undefined, {}))
    const items = JSON.parse(await get('/api/v1/namespaces/default/configmaps')).items
    assert.deepEqual(
      items
        .filter((o: any) => o.metadata.name.startsWith('cm'))
        .map((o: any) => o.data[`k${o.metadata.name.slice(2)}`]),
      tricky,
    )
    let cont: string | undefined
    let pages = 0
    do {
      const opts: ListOptions = {limit: 4, ...(cont ? {continue: cont} : {})}
      const got = await get(`/api/v1/configmaps?limit=4${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)
      assert.equal(got, expected('configmaps', undefined, opts))
      cont = JSON.parse(got).metadata.continue
      pages++
    } while (cont)
    assert.ok(pages >= 3, `${pages} pages`)
  })

  it('keeps a paged list at its revision and leaves selectors and errors to the general path', async () => {
    const first = JSON.parse(await get('/api/v1/namespaces/default/configmaps?limit=3'))
    await api.request('DELETE', '/api/v1/namespaces/default/configmaps/cm5')
    const cm = await api.request('GET', '/api/v1/namespaces/default/configmaps/cm6')
    await api.request('PUT', '/api/v1/namespaces/default/configmaps/cm6', {...cm.json, data: {changed: '}'}})
    const opts: ListOptions = {limit: 3, continue: first.metadata.continue}
    const page2 = await get(
      `/api/v1/namespaces/default/configmaps?limit=3&continue=${encodeURIComponent(first.metadata.continue)}`,
    )
    assert.equal(page2, expected('configmaps', 'default', opts))
    assert.ok(page2.includes('"name":"cm5"'))
    assert.equal(await get('/api/v1/configmaps'), expected('configmaps', undefined, {}))
    assert.equal(
      await get('/api/v1/configmaps?labelSelector=app%3Dx&limit=2'),
      expected('configmaps', undefined, {labelSelector: 'app=x', limit: 2}),
    )
    const bad = await api.request('GET', '/api/v1/configmaps?limit=2&continue=nope')
    assert.equal(bad.status, 400)
    assert.equal(bad.json.kind, 'Status')
    const future = await api.request('GET', '/api/v1/configmaps?resourceVersion=99999999&resourceVersionMatch=Exact')
    assert.equal(future.status, 504)
  })

  it('writes lists of many chunks byte for byte, with multi-byte text across chunk edges and an item over a chunk', async () => {
    await api.request('POST', '/api/v1/namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'big'}})
    // 40 objects of ~7 KB of 1-, 2-, 3- and 4-byte characters (several 64 KiB chunks), then one of ~300 KB.
    const text = 'aé€🎉'.repeat(700)
    for (let i = 0; i < 40; i++) {
      const r = await api.request('POST', '/api/v1/namespaces/big/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {name: `c${String(i).padStart(2, '0')}`},
        data: {v: text.slice(i)},
      })
      assert.equal(r.status, 201, r.text)
    }
    const huge = await api.request('POST', '/api/v1/namespaces/big/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'c99'},
      data: {v: text.repeat(30)},
    })
    assert.equal(huge.status, 201, huge.text)
    const got = await get('/api/v1/namespaces/big/configmaps')
    assert.ok(Buffer.byteLength(got) > 500_000)
    assert.equal(got, expected('configmaps', 'big', {}))
    assert.equal(await get('/api/v1/namespaces/big/configmaps?limit=7'), expected('configmaps', 'big', {limit: 7}))
  })

  it('servedText is JSON.stringify(decodeObject(text, rev)) for any stored object', () => {
    const lead = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{'
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.nat(),
        (meta, rest, rev) => {
          const {resourceVersion: _rv, ...m} = meta
          const text = encodeObject({apiVersion: 'v1', kind: 'ConfigMap', metadata: m, ...rest})
          const want = JSON.stringify(decodeObject(text, rev))
          const got = servedText(text, rev, lead)
          // Only a text that still starts with the lead (rest did not move apiVersion, kind or metadata) is served.
          if (got === undefined) assert.ok(!text.startsWith(lead))
          else assert.equal(got, want)
        },
      ),
      {numRuns: 2000},
    )
  })
})

/**
 * SlowSocket stands in for a response whose client is slow: it reads a written buffer only when that write
 * completes, a few turns later, as the kernel would. A writer that refilled a buffer still in flight would show
 * up as wrong bytes.
 */
class SlowSocket extends EventEmitter {
  destroyed = false
  headersSent = true
  readonly out: Buffer[] = []
  ended = false
  private pending = Promise.resolve()

  write(data: string | Uint8Array, cb?: (err?: Error | null) => void): boolean {
    const turns = 1 + (this.out.length % 3)
    this.pending = this.pending.then(async () => {
      for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
      this.out.push(Buffer.from(typeof data === 'string' ? Buffer.from(data) : Buffer.from(data)))
      cb?.()
    })
    return false
  }
  end(): this {
    this.pending = this.pending.then(() => {
      this.ended = true
    })
    return this
  }
  destroy(): this {
    this.destroyed = true
    return this
  }
  async text(): Promise<string> {
    await this.pending
    return Buffer.concat(this.out).toString('utf8')
  }
}

describe('writeArray through the chunk buffers', () => {
  async function roundTrip(head: string, items: string[], tail: string) {
    const sock = new SlowSocket()
    await writeArray(sock as unknown as ListResponse, head, items, (t) => t, tail)
    assert.equal(await sock.text(), head + items.join(',') + tail)
    assert.ok(sock.ended)
  }

  it('writes what it is given when a text fills a chunk to the last byte, before a comma', async () => {
    const head = '{"items":['
    // The first item fills the first chunk exactly: the comma opens the second one while the first is in flight.
    await roundTrip(head, ['x'.repeat(CHUNK_BYTES - head.length), 'y', 'z'.repeat(CHUNK_BYTES - 1), 'w'], ']}')
  })

  it('writes any mix of sizes and 1- to 4-byte characters byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.string({unit: 'binary', maxLength: 3000}),
            fc.integer({min: 0, max: 3 * CHUNK_BYTES}).map((n) => 'é'.repeat(n % 5000) + 'a'.repeat(n)),
          ),
          {maxLength: 40},
        ),
        async (items) => roundTrip('{"items":[', items, ']}'),
      ),
      {numRuns: 60},
    )
  })
})
