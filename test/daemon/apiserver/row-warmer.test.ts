// row-warmer.test.ts: the pods' Table rows made ahead of the next list once pods are quiet (row-warmer.ts), on
// injected timers: the list that follows converts nothing and still writes what the general path writes.
import assert from 'node:assert/strict'
import {ApiClient} from '../../helpers/http.js'
import {startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'
import {buildTable, convertorFor} from '../../../src/daemon/registry/tables/index.js'
import {rowCacheOf} from '../../../src/daemon/apiserver/list-stream.js'
import {startRowWarmer, type RowWarmer} from '../../../src/daemon/apiserver/row-warmer.js'

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'

describe('row warmer', () => {
  let t: TestDaemon
  let api: ApiClient
  let warmer: RowWarmer | undefined
  let now = 0
  let timers: {fn: () => void; at: number}[] = []
  let turns: (() => void)[] = []
  const conv = convertorFor('', 'Pod')
  const prepare = conv.prepare!
  let prepared = 0

  const pods = () => t.daemon.resources().lookup('', 'v1', 'pods')!
  const rows = () => (rowCacheOf(t.daemon.store) as unknown as {rows: Map<string, {rev: number}>}).rows
  const pod = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: 'default'},
    spec: {nodeName: 'nowhere', containers: [{name: 'c', image: 'registry.k8s.io/pause:3.10'}]},
  })
  /** fire runs the timers due by now, and every turn they (and the turns) queue. */
  const fire = () => {
    const due = timers.filter((x) => x.at <= now)
    timers = timers.filter((x) => x.at > now)
    for (const x of due) x.fn()
  }
  const runTurns = () => {
    let n = 0
    while (turns.length > 0) {
      n++
      turns.shift()!()
    }
    return n
  }

  const start = () =>
    startRowWarmer(t.daemon.store, pods(), t.daemon.cluster.manager.informers.existing('pods')!, conv, {
      quietMs: 1000,
      slice: 2,
      now: () => now,
      setTimeout: (fn, ms) => timers.push({fn, at: now + ms}),
      clearTimeout: () => (timers = []),
      nextTurn: (fn) => turns.push(fn),
    })

  beforeEach(async () => {
    t = await startTestDaemon()
    api = new ApiClient(t.daemon.url, t.daemon.caCert, t.daemon.token)
    now = 0
    timers = []
    turns = []
    rows().clear()
    prepared = 0
    conv.prepare = (o) => {
      prepared++
      return prepare(o)
    }
    warmer = start()
    // The cluster's own pods (kube-system) are there at start: let their rows be made, then start afresh.
    now = 1000
    fire()
    runTurns()
    rows().clear()
    prepared = 0
    now = 10_000
  })
  afterEach(async () => {
    conv.prepare = prepare
    warmer?.stop()
    await t.stop()
  })

  it("makes the changed pods' rows once they have been quiet, in slices, and the next list converts nothing", async () => {
    for (let i = 0; i < 5; i++) await api.request('POST', '/api/v1/namespaces/default/pods', pod(`p${i}`))
    assert.equal(warmer!.pending, 5)
    now = 10_600
    await api.request('POST', '/api/v1/namespaces/default/pods', pod('p5'))
    // The first timer finds the last change only 400 ms old and waits on.
    now = 11_000
    fire()
    assert.equal(rows().size, 0)
    assert.equal(turns.length, 0)
    now = 11_600
    fire()
    // Six rows in slices of two: one in the timer, two more turns.
    assert.equal(rows().size, 2)
    assert.equal(runTurns(), 2)
    assert.equal(rows().size, 6)
    assert.equal(warmer!.pending, 0)
    assert.equal(prepared, 6)
    const r = await api.request('GET', '/api/v1/namespaces/default/pods', undefined, {Accept: TABLE})
    assert.equal(prepared, 6, 'the list made no row')
    const list = t.daemon.registry.listLazy(pods(), 'default', {})
    const want = buildTable([...list.items], convertorFor('', 'Pod'), t.clock.now(), {listMeta: list.metadata})
    assert.equal(r.text, JSON.stringify(want))
  })

  it('goes back to waiting when a pod changes between slices, and forgets deleted pods', async () => {
    for (let i = 0; i < 5; i++) await api.request('POST', '/api/v1/namespaces/default/pods', pod(`p${i}`))
    now = 11_000
    fire()
    assert.equal(rows().size, 2)
    now = 11_100
    await api.request('DELETE', '/api/v1/namespaces/default/pods/p4?gracePeriodSeconds=0')
    const p0 = await api.request('GET', '/api/v1/namespaces/default/pods/p0')
    await api.request('PUT', '/api/v1/namespaces/default/pods/p0/status', {...p0.json, status: {phase: 'Failed'}})
    // The queued slice sees the change and stops; the timer brings it back once quiet.
    assert.equal(runTurns(), 1)
    assert.equal(rows().size, 2)
    now = 12_100
    fire()
    runTurns()
    const p0now = await api.request('GET', '/api/v1/namespaces/default/pods/p0')
    assert.equal(rows().size, 4, [...rows().keys()].join(' '))
    assert.equal(rows().get('/registry/core/pods/default/p0')?.rev, Number(p0now.json.metadata.resourceVersion))
    assert.ok(!rows().has('/registry/core/pods/default/p4'))
  })

  it('makes the rows of the pods already there when it starts, after a quiet moment', async () => {
    for (let i = 0; i < 3; i++) await api.request('POST', '/api/v1/namespaces/default/pods', pod(`p${i}`))
    warmer!.stop()
    timers = []
    rows().clear()
    now = 15_000
    warmer = start()
    const all = t.daemon.cluster.manager.informers.existing('pods')!.list().length
    assert.ok(all >= 3)
    assert.equal(warmer.pending, all)
    now = 15_999
    fire()
    assert.equal(rows().size, 0)
    now = 16_000
    fire()
    runTurns()
    assert.equal(rows().size, all)
  })
})
