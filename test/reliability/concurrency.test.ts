// concurrency.test.ts — optimistic concurrency and watch fan-out under load (issue 7 part 2), through the HTTP API
// of an in-process daemon whose store is a file, so that a second, read-only SQLite connection can read the log
// (DESIGN §5) as the oracle:
//   - a counter: many clients read-modify-write one ConfigMap with the resourceVersion they read (often stale on
//     purpose); every loser gets the apiserver's 409 Conflict, every loser's resourceVersion was won by exactly one
//     other client, and the log holds 0, 1, 2, ... n with n = the number of successes (no lost update);
//   - 104 watchers with mixed label selectors, half of them opened while the writers run, each receive exactly the
//     events the log implies for their selector (ADDED/MODIFIED/DELETED, objects entering and leaving the
//     selector included), once each and in revision order.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Sqlite from 'better-sqlite3'
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js'
import {Http, mulberry32, openWatch, selectorMatches, type WatchStream} from './support.js'

const SEED = 7
const CM_PREFIX = '/registry/core/configmaps/'

interface Row {
  id: number
  key: string
  created: number
  deleted: number
  prev_revision: number
  value: string | null
  old_value: string | null
}

describe('concurrency: stale resourceVersions and watch fan-out under load', function () {
  this.timeout(120_000)
  let dir: string
  let t: TestDaemon
  let log: Sqlite.Database
  let http: Http

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mkctl-concurrency-'))
    t = await startTestDaemon({dbPath: join(dir, 'state.db')})
    log = new Sqlite(join(dir, 'state.db'), {readonly: true})
    http = new Http(t.daemon.url, t.daemon.caCert, t.daemon.token, 16)
  })

  after(async () => {
    http?.close()
    log?.close()
    await t?.stop()
    rmSync(dir, {recursive: true, force: true})
  })

  const rows = (prefix: string, after = 0): Row[] =>
    log
      .prepare(
        // An update row's previous state is its prev_revision row (only tombstones copy it: log-store.ts).
        `SELECT l.id, l.key, l.created, l.deleted, l.prev_revision, l.value,
                CASE WHEN l.deleted = 1 THEN l.old_value WHEN l.created = 0 THEN p.value END AS old_value
         FROM log AS l LEFT JOIN log AS p ON p.id = l.prev_revision
         WHERE l.id > ? AND l.key >= ? AND l.key < ? ORDER BY l.id`,
      )
      .all(after, prefix, prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)) as Row[]

  it('a counter updated by 12 clients with stale resourceVersions loses no update; every loser gets 409', async () => {
    const path = '/api/v1/namespaces/default/configmaps'
    const created = await http.request('POST', path, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'counter'},
      data: {n: '0'},
    })
    assert.equal(created.status, 201, created.text)
    const CLIENTS = 12
    const ATTEMPTS = 25
    const wins: {rv: number; n: number}[] = []
    const losses: number[] = []
    const client = async (c: number) => {
      const rng = mulberry32(SEED * 1000 + c)
      let cached: any
      for (let i = 0; i < ATTEMPTS; i++) {
        // Two times in five the client writes from what it read earlier, which another client has likely replaced.
        if (!cached || rng() >= 0.4) {
          const got = await http.request('GET', `${path}/counter`)
          assert.equal(got.status, 200)
          cached = got.json
        }
        const rv = Number(cached.metadata.resourceVersion)
        const n = Number(cached.data.n) + 1
        const res =
          rng() < 0.5
            ? await http.request('PUT', `${path}/counter`, {...cached, data: {n: String(n)}})
            : await http.request(
                'PATCH',
                `${path}/counter`,
                {metadata: {resourceVersion: String(rv)}, data: {n: String(n)}},
                {'Content-Type': 'application/merge-patch+json'},
              )
        if (res.status === 200) {
          assert.equal(res.json.data.n, String(n))
          wins.push({rv, n})
          cached = res.json
          continue
        }
        assert.equal(res.status, 409, res.text)
        assert.equal(res.json.kind, 'Status')
        assert.equal(res.json.reason, 'Conflict')
        assert.equal(
          res.json.message,
          'Operation cannot be fulfilled on configmaps "counter": the object has been modified; please apply your changes to the latest version and try again',
        )
        assert.deepEqual(res.json.details, {name: 'counter', kind: 'configmaps'})
        losses.push(rv)
        cached = undefined
      }
    }
    await Promise.all(Array.from({length: CLIENTS}, (_, c) => client(c)))

    assert.equal(wins.length + losses.length, CLIENTS * ATTEMPTS)
    assert.ok(losses.length > 0 && wins.length > 0, `${wins.length} wins, ${losses.length} losses: no contention`)
    const final = await http.request('GET', `${path}/counter`)
    assert.equal(final.json.data.n, String(wins.length))
    // The log: the create and one row per win, each after the previous, holding 0, 1, 2, ... wins.length.
    const history = log
      .prepare(`SELECT id, key, created, deleted, prev_revision, value, old_value FROM log WHERE key = ? ORDER BY id`)
      .all(`${CM_PREFIX}default/counter`) as Row[]
    assert.equal(history.length, wins.length + 1)
    history.forEach((r, i) => {
      assert.equal(JSON.parse(r.value!).data.n, String(i))
      assert.equal(r.prev_revision, i === 0 ? 0 : history[i - 1].id)
    })
    // Each base revision was won exactly once, and every loser's base revision was won by someone else.
    const bases = history.slice(1).map((r) => r.prev_revision)
    assert.deepEqual(
      wins.map((w) => w.rv).sort((a, b) => a - b),
      bases,
    )
    const won = new Set(bases)
    for (const rv of losses) assert.ok(won.has(rv), `a write from ${rv} was refused though nobody else wrote after it`)
    console.log(`      counter: ${CLIENTS} clients, ${wins.length} updates won, ${losses.length} refused with 409`)
  })

  it('104 watchers with mixed label selectors see every event once, in revision order, as the log has them', async () => {
    const ns = 'watchers'
    const nsRes = await http.request('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {name: ns},
    })
    assert.equal(nsRes.status, 201, nsRes.text)
    const path = `/api/v1/namespaces/${ns}/configmaps`
    const selectors = [
      '',
      'app=a',
      'app==b',
      'app!=a',
      'app in (a,b)',
      'app notin (b)',
      'tier',
      '!tier',
      'tier=x,app=a',
      'app,tier notin (x)',
      'tier in (y),app!=b',
      'app=c',
      '!app',
    ]
    interface Watcher {
      selector: string
      from: number
      seen: {type: string; name: string; rv: number; labels: Record<string, string>}[]
      stream?: WatchStream
    }
    const watchers: Watcher[] = []
    const open = async (selector: string) => {
      const list = await http.request('GET', `${path}?labelSelector=${encodeURIComponent(selector)}`)
      assert.equal(list.status, 200, list.text)
      const w: Watcher = {selector, from: Number(list.json.metadata.resourceVersion), seen: []}
      const q = `watch=1&resourceVersion=${w.from}${selector ? `&labelSelector=${encodeURIComponent(selector)}` : ''}`
      w.stream = openWatch(http, `${path}?${q}`, (e) => {
        w.seen.push({
          type: e.type,
          name: e.object?.metadata?.name,
          rv: Number(e.object?.metadata?.resourceVersion),
          labels: e.object?.metadata?.labels ?? {},
        })
      })
      assert.equal(await w.stream.status, 200)
      watchers.push(w)
    }
    for (let i = 0; i < 52; i++) await open(selectors[i % selectors.length])

    // Writers: each owns its objects and moves them in and out of the selectors.
    const WRITERS = 6
    const OPS = 60
    const labelsFor = (rng: () => number): Record<string, string> => {
      const l: Record<string, string> = {}
      const app = ['a', 'b', 'c', ''][Math.floor(rng() * 4)]
      const tier = ['x', 'y', ''][Math.floor(rng() * 3)]
      if (app) l.app = app
      if (tier) l.tier = tier
      return l
    }
    let writes = 0
    const lateOpened: Promise<void>[] = []
    const writer = async (c: number) => {
      const rng = mulberry32(SEED * 77 + c)
      const live = new Map<string, any>()
      let next = 0
      for (let i = 0; i < OPS; i++) {
        const r = rng()
        let res
        if (live.size < 3 || r < 0.35) {
          const name = `w${c}-${next++}`
          res = await http.request('POST', path, {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {name, labels: labelsFor(rng)},
            data: {i: String(i)},
          })
          assert.equal(res.status, 201, res.text)
          live.set(name, res.json)
        } else {
          const names = [...live.keys()]
          const name = names[Math.floor(rng() * names.length)]
          if (r < 0.85) {
            const cur = live.get(name)
            res = await http.request('PUT', `${path}/${name}`, {
              ...cur,
              metadata: {...cur.metadata, labels: labelsFor(rng)},
              data: {i: String(i)},
            })
            assert.equal(res.status, 200, res.text)
            live.set(name, res.json)
          } else {
            res = await http.request('DELETE', `${path}/${name}`)
            assert.equal(res.status, 200, res.text)
            live.delete(name)
          }
        }
        // Half the watchers join while the writers are at work: backfill and live delivery meet under load.
        if (++writes % 6 === 0 && lateOpened.length < 52)
          lateOpened.push(open(selectors[lateOpened.length % selectors.length]))
      }
    }
    await Promise.all(Array.from({length: WRITERS}, (_, c) => writer(c)))
    await Promise.all(lateOpened)
    assert.equal(watchers.length, 104)

    // The oracle: the log's rows of the namespace, seen through each selector as the apiserver's watch filter does.
    const nsRows = rows(`${CM_PREFIX}${ns}/`)
    const labelsOf = (v: string | null) => (v ? (JSON.parse(v).metadata?.labels ?? {}) : {})
    const expectedFor = (w: Watcher) => {
      const out: {type: string; name: string; rv: number; labels: Record<string, string>}[] = []
      for (const r of nsRows) {
        if (r.id <= w.from) continue
        const name = r.key.slice(r.key.lastIndexOf('/') + 1)
        const now = labelsOf(r.deleted ? r.old_value : r.value)
        const match = selectorMatches(w.selector, now)
        if (r.created) {
          if (match) out.push({type: 'ADDED', name, rv: r.id, labels: now})
        } else if (r.deleted) {
          if (match) out.push({type: 'DELETED', name, rv: r.id, labels: now})
        } else {
          const before = selectorMatches(w.selector, labelsOf(r.old_value))
          if (match && before) out.push({type: 'MODIFIED', name, rv: r.id, labels: now})
          else if (match) out.push({type: 'ADDED', name, rv: r.id, labels: now})
          else if (before) out.push({type: 'DELETED', name, rv: r.id, labels: now})
        }
      }
      return out
    }
    const expected = watchers.map(expectedFor)
    const deadline = Date.now() + 30_000
    const caughtUp = () => watchers.every((w, i) => w.seen.length >= expected[i].length)
    while (!caughtUp()) {
      if (Date.now() > deadline) break
      await new Promise((r) => setTimeout(r, 20))
    }
    let events = 0
    watchers.forEach((w, i) => {
      w.stream!.close()
      for (let j = 1; j < w.seen.length; j++)
        assert.ok(w.seen[j].rv > w.seen[j - 1].rv, `watcher ${i} (${w.selector}): revision order broken at ${j}`)
      assert.deepEqual(w.seen, expected[i], `watcher ${i} (selector "${w.selector}", from ${w.from})`)
      events += w.seen.length
    })
    console.log(`      watch: ${watchers.length} watchers, ${nsRows.length} log rows, ${events} events compared`)
    assert.ok(events > 5000, `only ${events} events delivered`)
    assert.ok(new Set(watchers.map((w) => w.from)).size > 10, 'the late watchers should start at many revisions')
  })
})
