// crash.test.ts — [slow, ~1 minute] crash safety of the daemon (issue 7 part 1; DESIGN §5). The daemon runs as a
// child process (bin/mkctld.js, as `mkctl cluster start` runs it) on a temporary profile folder. Several clients
// drive creates, resourceVersion-checked updates and deletes of ConfigMaps in three namespaces through the HTTP
// API; at seeded random points (a number of acknowledged writes, then a few ms, drawn from a mulberry32 PRNG) the daemon is killed
// with SIGKILL and restarted on the same database. At every kill point, on a copy of the dead daemon's files:
//   - PRAGMA integrity_check is ok;
//   - every acknowledged write is a row of the log with the revision the client was told, the value it sent and
//     prev_revision pointing at the key's previous write (nothing lost, nothing rewritten);
//   - every other row of the test's keys is the complete value of a request that was in flight at the kill
//     (unacknowledged: it may be there or not, but never half there, never twice, never an unknown value).
// After every restart the API lists exactly the model's objects at their revisions, and the list's revision is at
// least every acknowledged one. A watch on one namespace resumes from its last resourceVersion after each restart
// and, once history has been compacted while it was away, gets 410 Gone and relists; its events, put end to end,
// equal the log rows of that namespace, each once and in revision order. A Deployment created and scaled while
// the daemon was being killed reaches its replicas after the last restart.
// MKCTL_CRASH_SEED=n replays another sequence of kill points.
import assert from 'node:assert/strict'
import {copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Sqlite from 'better-sqlite3'
import {openDatabase} from '../../src/daemon/storage/db.js'
import {Store} from '../../src/daemon/storage/store.js'
import {ensureBuilt} from '../helpers/build.js'
import {
  Http,
  makeProfileDir,
  mulberry32,
  openWatch,
  startChildDaemon,
  type ChildDaemon,
  type ProfileDir,
  type WatchStream,
} from './support.js'

const SEED = Number(process.env.MKCTL_CRASH_SEED ?? 20261126)
/** KILLS is the number of SIGKILL points; a final run without a kill follows them. */
const KILLS = 24
const CLIENTS = 8
const NAMESPACES = ['crash-a', 'crash-b', 'crash-c']
const WATCH_NS = 'crash-a'
/** SCALE_ROUND scales the Deployment up just before its writers start (and its kill). */
const SCALE_ROUND = 7
/** COMPACT_ROUND's watch stops early; after its kill the history is compacted, so the watch's resume gets 410. */
const COMPACT_ROUND = 12
const FINAL_WRITES = 120
const CM_PREFIX = '/registry/core/configmaps/'

type OpKind = 'create' | 'update' | 'delete'

/** Op is one write a client issued on a key; pending means no answer came (the daemon died). */
interface Op {
  kind: OpKind
  stamp: string
  state: 'acked' | 'pending' | 'committed' | 'lost'
  rv?: number
}

/** Key is one ConfigMap owned by one client: its writes in issue order and its confirmed state. */
interface Key {
  ns: string
  name: string
  ops: Op[]
  /** cursor is the index of the next op whose row the log check expects. */
  cursor: number
  live: boolean
  rv: number
  stamp?: string
  /** inFlight: an op was sent and is not answered or not yet resolved against the log. */
  inFlight: boolean
}

interface LogRowLite {
  id: number
  key: string
  created: number
  deleted: number
  prev_revision: number
  value: string | null
}

/** payloadFor makes a value of varying size from a stamp, so a torn write could not pass for a whole one. */
function payloadFor(stamp: string): string {
  let h = 0
  for (const ch of stamp) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0
  return `${stamp}:`.repeat(8 + (h % 120))
}

function storageKey(ns: string, name: string): string {
  return `${CM_PREFIX}${ns}/${name}`
}

describe('[slow] crash safety: SIGKILL at seeded random points, restart on the same database', function () {
  this.timeout(240_000)

  let profile: ProfileDir
  let daemon: ChildDaemon | undefined
  const dbPath = () => join(profile.dir, 'state.db')

  before(function () {
    this.timeout(120_000)
    ensureBuilt()
    profile = makeProfileDir('crash', {timing: 'fast', seed: 7})
  })

  after(async () => {
    if (daemon && daemon.child.exitCode === null && daemon.child.signalCode === null) {
      daemon.child.kill('SIGKILL')
      await daemon.exited
    }
    if (!process.env.MKCTL_CRASH_KEEP) profile?.remove()
    else console.log(`      kept ${profile.dir}`)
  })

  it('keeps every acknowledged write, no torn write, an intact database, resumable watches and converging controllers', async () => {
    const t0 = Date.now()
    const rng = mulberry32(SEED)
    const keys = new Map<string, Key>()
    const byClient: Key[][] = Array.from({length: CLIENTS}, () => [])
    const failures: string[] = []
    let stampSeq = 0
    let nextName = 0
    let lastCheckedRev = 0
    let compactedTo = 0
    let maxAckedRv = 0
    const stats = {acked: 0, committedUnacked: 0, lostUnacked: 0, issued: 0, restarts: 0, kills: 0}

    // The watch on WATCH_NS: every event it saw, the rows of its namespace read from the log, and its history.
    const watchRows: LogRowLite[] = []
    const seen: {type: string; name: string; rv: number}[] = []
    const segments: {from: number; to?: number}[] = []
    const relists: {rv: number; items: Map<string, number>}[] = []
    let watchLast = 0
    let watchStream: WatchStream | undefined
    let watchTask: Promise<void> = Promise.resolve()
    let gone = 0
    const watchErrors: string[] = []

    let http = undefined as unknown as Http
    const connect = (d: ChildDaemon) => {
      http?.close()
      http = new Http(d.url, readFileSync(join(profile.dir, 'ca.crt'), 'utf8'), profile.token, CLIENTS + 4)
    }

    /**
     * startWatch resumes the watch from watchLast. A 410 (history compacted while it was away) makes it relist and
     * watch again from the list's revision, as a reflector does; if the daemon dies meanwhile the next start retries.
     */
    const startWatch = (): void => {
      const s = openWatch(
        http,
        `/api/v1/namespaces/${WATCH_NS}/configmaps?watch=1&resourceVersion=${watchLast}`,
        (e) => {
          if (e.type === 'ERROR') {
            if (e.object?.code === 410 && e.object?.reason === 'Expired') {
              gone++
              watchTask = watchTask.then(relist).catch(() => undefined)
            } else watchErrors.push(JSON.stringify(e.object))
            return
          }
          const rv = Number(e.object.metadata.resourceVersion)
          seen.push({type: e.type, name: e.object.metadata.name, rv})
          watchLast = rv
        },
      )
      watchStream = s
    }
    const relist = async (): Promise<void> => {
      const list = await http.request('GET', `/api/v1/namespaces/${WATCH_NS}/configmaps`)
      assert.equal(list.status, 200, list.text)
      const rv = Number(list.json.metadata.resourceVersion)
      relists.push({
        rv,
        items: new Map(
          list.json.items.map((o: any) => [o.metadata.name as string, Number(o.metadata.resourceVersion)]),
        ),
      })
      segments[segments.length - 1].to = watchLast
      segments.push({from: rv})
      watchLast = rv
      startWatch()
    }

    const newKey = (client: number): Key => {
      const k: Key = {
        ns: NAMESPACES[Math.floor(rng() * NAMESPACES.length)],
        name: `cm-${client}-${nextName++}`,
        ops: [],
        cursor: 0,
        live: false,
        rv: 0,
        inFlight: false,
      }
      keys.set(storageKey(k.ns, k.name), k)
      byClient[client].push(k)
      return k
    }

    /** write sends one op; it resolves true when answered, false when the transport failed (the daemon died). */
    const write = async (client: number, k: Key, kind: OpKind): Promise<boolean> => {
      const stamp = `s${++stampSeq}`
      const op: Op = {kind, stamp, state: 'pending'}
      k.ops.push(op)
      k.inFlight = true
      stats.issued++
      const path = `/api/v1/namespaces/${k.ns}/configmaps`
      const body = (rv?: number) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: k.name,
          namespace: k.ns,
          labels: {crash: '1', client: String(client)},
          annotations: {'crash.mkctl.dev/stamp': stamp},
          ...(rv !== undefined ? {resourceVersion: String(rv)} : {}),
        },
        data: {stamp, payload: payloadFor(stamp)},
      })
      let res
      try {
        if (kind === 'create') res = await http.request('POST', path, body())
        else if (kind === 'update') res = await http.request('PUT', `${path}/${k.name}`, body(k.rv))
        else
          res = await http.request('DELETE', `${path}/${k.name}`, {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            preconditions: {resourceVersion: String(k.rv)},
          })
      } catch {
        return false // unacknowledged: resolved against the log at the kill point
      }
      const want = kind === 'create' ? 201 : 200
      if (res.status !== want) {
        failures.push(`${kind} ${k.ns}/${k.name} answered ${res.status}: ${res.text.slice(0, 300)}`)
        return true // left pending: the log check decides what happened
      }
      // A ConfigMap's DELETE answers with a Status (no revision): the log check fills in its tombstone's.
      const rv = kind === 'delete' ? undefined : Number(res.json?.metadata?.resourceVersion)
      op.state = 'acked'
      op.rv = rv
      stats.acked++
      if (rv !== undefined) maxAckedRv = Math.max(maxAckedRv, rv)
      k.live = kind !== 'delete'
      k.rv = rv ?? 0
      k.stamp = kind === 'delete' ? undefined : stamp
      k.inFlight = false
      return true
    }

    /** runClients drives the writers until stop() says so; each client has one write in flight at a time. */
    const runClients = async (onAck: () => boolean): Promise<void> => {
      let stopped = false
      const one = async (c: number) => {
        const crng = mulberry32(SEED * 31 + c * 7919 + stats.restarts)
        while (!stopped) {
          const mine = byClient[c].filter((k) => !k.inFlight)
          const live = mine.filter((k) => k.live)
          const r = crng()
          let k: Key
          let kind: OpKind
          if (live.length < 2 || r < 0.3) {
            const dead = mine.filter((x) => !x.live && x.ops.length > 0)
            k = dead.length && crng() < 0.3 ? dead[Math.floor(crng() * dead.length)] : newKey(c)
            kind = 'create'
          } else {
            k = live[Math.floor(crng() * live.length)]
            kind = r < 0.8 ? 'update' : 'delete'
          }
          const answered = await write(c, k, kind)
          if (!answered) return
          if (onAck()) stopped = true
        }
      }
      await Promise.all(Array.from({length: CLIENTS}, (_, c) => one(c)))
    }

    /** checkLog runs on a copy of the dead daemon's files: integrity, then every new row against the model. */
    const checkLog = () => {
      const copyDir = mkdtempSync(join(tmpdir(), 'mkctl-crash-copy-'))
      try {
        for (const f of ['state.db', 'state.db-wal']) {
          if (existsSync(join(profile.dir, f))) copyFileSync(join(profile.dir, f), join(copyDir, f))
        }
        const db = new Sqlite(join(copyDir, 'state.db'))
        try {
          assert.deepEqual(db.pragma('integrity_check'), [{integrity_check: 'ok'}])
          const rows = db
            .prepare(
              `SELECT id, key, created, deleted, prev_revision, value FROM log
               WHERE id > ? AND key >= ? AND key < ? ORDER BY id`,
            )
            .all(lastCheckedRev, CM_PREFIX, CM_PREFIX.slice(0, -1) + '0') as LogRowLite[]
          const current = (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'log'`).get() as {seq: number}).seq
          assert.ok(current >= maxAckedRv, `store revision ${current} is below an acknowledged ${maxAckedRv}`)
          for (const row of rows) {
            if (row.key.startsWith(`${CM_PREFIX}${WATCH_NS}/`)) watchRows.push(row)
            const name = row.key.slice(row.key.lastIndexOf('/') + 1)
            if (!name.startsWith('cm-')) continue
            const k = keys.get(row.key)
            assert.ok(k, `row ${row.id} writes ${row.key}, which no client ever wrote`)
            const op = k.ops[k.cursor]
            assert.ok(op, `row ${row.id} of ${row.key} is one write more than the client sent`)
            assert.ok(op.state === 'acked' || op.state === 'pending', `row ${row.id}: op ${op.stamp} is ${op.state}`)
            const prev = k.ops.slice(0, k.cursor).findLast((o) => o.state === 'acked' || o.state === 'committed')
            if (op.kind === 'delete') {
              assert.equal(row.deleted, 1, `row ${row.id} should be the tombstone of ${op.stamp}`)
              assert.equal(row.value, null)
            } else {
              assert.equal(row.deleted, 0, `row ${row.id} should hold ${op.stamp}`)
              assert.equal(row.created, op.kind === 'create' ? 1 : 0, `row ${row.id}: created flag of ${op.kind}`)
              const v = JSON.parse(row.value!)
              assert.equal(v.data?.stamp, op.stamp, `row ${row.id} holds another write than ${op.stamp}`)
              assert.equal(v.data?.payload, payloadFor(op.stamp), `row ${row.id}: payload of ${op.stamp} is torn`)
              assert.equal(v.metadata?.annotations?.['crash.mkctl.dev/stamp'], op.stamp)
              assert.equal(v.metadata?.name, k.name)
            }
            // The chain: an update or delete follows the key's previous write, a re-create its tombstone (unless
            // compaction removed the tombstone: then the key starts afresh, as in kine).
            const tombstoneGone = op.kind === 'create' && prev?.kind === 'delete' && prev.rv! <= compactedTo
            assert.equal(
              row.prev_revision,
              tombstoneGone ? 0 : (prev?.rv ?? 0),
              `row ${row.id} (${op.kind} ${op.stamp} of ${row.key}) does not follow the key's previous write: ${JSON.stringify(k.ops)}`,
            )
            if (op.state === 'acked') {
              op.rv ??= row.id
              assert.equal(
                row.id,
                op.rv,
                `acknowledged ${op.kind} ${op.stamp} was told revision ${op.rv}, log has ${row.id}`,
              )
            } else {
              op.state = 'committed'
              op.rv = row.id
              stats.committedUnacked++
              k.live = op.kind !== 'delete'
              k.rv = row.id
              k.stamp = op.kind === 'delete' ? undefined : op.stamp
            }
            k.cursor++
          }
          for (const k of keys.values()) {
            for (; k.cursor < k.ops.length; k.cursor++) {
              const op = k.ops[k.cursor]
              assert.notEqual(
                op.state,
                'acked',
                `acknowledged ${op.kind} ${op.stamp} of ${k.ns}/${k.name} (rv ${op.rv}) is lost`,
              )
              op.state = 'lost'
              stats.lostUnacked++
            }
            k.inFlight = false
          }
          lastCheckedRev = current
        } finally {
          db.close()
        }
      } finally {
        rmSync(copyDir, {recursive: true, force: true})
      }
    }

    /** checkState compares what the restarted API lists with the model. */
    const checkState = async () => {
      for (const ns of NAMESPACES) {
        const res = await http.request('GET', `/api/v1/namespaces/${ns}/configmaps?labelSelector=crash%3D1`)
        assert.equal(res.status, 200, res.text)
        assert.ok(Number(res.json.metadata.resourceVersion) >= maxAckedRv)
        const got = new Map<string, any>(res.json.items.map((o: any) => [o.metadata.name, o]))
        for (const k of keys.values()) {
          if (k.ns !== ns) continue
          const o = got.get(k.name)
          if (!k.live) {
            assert.equal(o, undefined, `${ns}/${k.name} was deleted (rv ${k.rv}) but is listed`)
            continue
          }
          assert.ok(o, `${ns}/${k.name} (rv ${k.rv}, ${k.stamp}) is missing after restart`)
          assert.equal(o.metadata.resourceVersion, String(k.rv), `${ns}/${k.name}`)
          assert.equal(o.data.stamp, k.stamp)
          got.delete(k.name)
        }
        assert.deepEqual([...got.keys()], [], `objects nobody wrote in ${ns}`)
      }
    }

    /** reap waits for the killed daemon and checks it died of the SIGKILL, not of anything else before. */
    const reap = async () => {
      const d = daemon!
      const code = await d.exited
      assert.equal(code, 'SIGKILL', d.stderr())
      assert.doesNotMatch(d.stderr(), /unhandled rejection/)
      stats.kills++
    }

    // Setup: namespaces, the Deployment and the watch, on a first daemon (killed with the first round's writes).
    const killAt: [number, number][] = []
    // About one kill point in eight comes right after a restart, while the controllers are still catching up.
    for (let i = 0; i < KILLS; i++)
      killAt.push([rng() < 0.12 ? 0 : 35 + Math.floor(rng() * 50), Math.floor(rng() * 12)])
    for (let round = 0; round <= KILLS; round++) {
      daemon = await startChildDaemon(profile.dir)
      stats.restarts++
      connect(daemon)
      if (round === 0) {
        for (const ns of NAMESPACES) {
          const r = await http.request('POST', '/api/v1/namespaces', {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: {name: ns},
          })
          assert.equal(r.status, 201, r.text)
        }
        const dep = await http.request('POST', '/apis/apps/v1/namespaces/default/deployments', {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {name: 'web'},
          spec: {
            replicas: 3,
            selector: {matchLabels: {app: 'web'}},
            template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}]}},
          },
        })
        assert.equal(dep.status, 201, dep.text)
        const list = await http.request('GET', `/api/v1/namespaces/${WATCH_NS}/configmaps`)
        watchLast = Number(list.json.metadata.resourceVersion)
        segments.push({from: watchLast})
      } else {
        await checkState()
      }
      await watchTask
      startWatch()
      assert.equal(await watchStream!.status, 200)
      if (round === SCALE_ROUND) {
        const r = await http.request(
          'PATCH',
          '/apis/apps/v1/namespaces/default/deployments/web',
          {spec: {replicas: 5}},
          {
            'Content-Type': 'application/merge-patch+json',
          },
        )
        assert.equal(r.status, 200, r.text)
      }
      if (round === KILLS) break
      let acked = 0
      let killed = false
      let timer: NodeJS.Timeout | undefined
      const [threshold, delay] = killAt[round]
      const killLater = () =>
        (timer = setTimeout(() => {
          killed = true
          daemon!.child.kill('SIGKILL')
        }, delay))
      if (threshold === 0 && round !== COMPACT_ROUND) killLater()
      await runClients(() => {
        acked++
        if (round === COMPACT_ROUND && acked === 5) watchStream!.close()
        // The kill point: after `threshold` acknowledged writes and `delay` ms more, with the writers still going.
        if (acked >= threshold && !timer) killLater()
        return killed
      })
      if (!killed) {
        clearTimeout(timer)
        failures.push(`round ${round}: the writers stopped after ${acked} of ${threshold} acknowledged writes`)
        daemon.child.kill('SIGKILL')
      }
      await reap()
      checkLog()
      if (round === COMPACT_ROUND) {
        // Compact everything (as the compactor would after enough revisions) while the watch is away.
        const db = openDatabase(dbPath())
        try {
          const store = new Store(db)
          // The last acknowledged write may have been the watch's own latest event: one more write (outside the
          // watched namespace) puts the compaction past the watch, which must then get its 410.
          if (store.currentRevision() <= watchLast) {
            store.create(`/registry/core/configmaps/default/compact-filler-${round}`, {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: {name: `compact-filler-${round}`, namespace: 'default'},
            })
          }
          compactedTo = store.compact(store.currentRevision(), {minRetain: 0})
          assert.ok(compactedTo > watchLast, `compacted to ${compactedTo}, the watch is at ${watchLast}`)
        } finally {
          db.close()
        }
      }
    }

    // The last run: writes without a kill, the watch catches up, the Deployment converges.
    let finalAcked = 0
    await runClients(() => ++finalAcked >= FINAL_WRITES)
    const lastInWatchNs = Math.max(
      ...[...keys.values()].filter((k) => k.ns === WATCH_NS).flatMap((k) => k.ops.map((o) => o.rv ?? 0)),
    )
    await waitFor(() => watchLast >= lastInWatchNs, 15_000, `the watch to reach ${lastInWatchNs} (at ${watchLast})`)
    await waitFor(
      async () => {
        const d = await http.request('GET', '/apis/apps/v1/namespaces/default/deployments/web')
        const pods = await http.request('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')
        const running = pods.json.items.filter(
          (p: any) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running',
        )
        const s = d.json.status ?? {}
        return (
          s.observedGeneration >= d.json.metadata.generation &&
          s.readyReplicas === 5 &&
          s.availableReplicas === 5 &&
          s.updatedReplicas === 5 &&
          s.replicas === 5 &&
          pods.json.items.length === 5 &&
          running.length === 5
        )
      },
      30_000,
      'the Deployment to have 5 Running replicas',
    )
    await checkState()
    watchStream!.close()
    daemon!.child.kill('SIGKILL')
    await reap()
    checkLog()
    http.close()
    const final = new Sqlite(dbPath())
    try {
      assert.deepEqual(final.pragma('integrity_check'), [{integrity_check: 'ok'}])
    } finally {
      final.close()
    }

    assert.deepEqual(failures, [])
    assert.deepEqual(watchErrors, [])
    // The watch: exactly one 410 (after the compaction), and its events end to end equal the log's rows.
    assert.equal(gone, 1, 'the watch should have got 410 Gone once, after the compaction')
    segments[segments.length - 1].to = watchLast
    const inSegments = (id: number) => segments.some((s) => id > s.from && id <= s.to!)
    const expected = watchRows
      .filter((r) => inSegments(r.id))
      .map((r) => ({
        type: r.created ? 'ADDED' : r.deleted ? 'DELETED' : 'MODIFIED',
        name: r.key.slice(r.key.lastIndexOf('/') + 1),
        rv: r.id,
      }))
    assert.deepEqual(seen, expected)
    assert.ok(
      watchRows.every((r) => r.id <= watchLast),
      'rows of the watched namespace after the watch ended',
    )
    // The relist saw the namespace as the log had it at the list's revision.
    for (const rl of relists) {
      const state = new Map<string, number>()
      for (const r of watchRows) {
        if (r.id > rl.rv) break
        const name = r.key.slice(r.key.lastIndexOf('/') + 1)
        if (r.deleted) state.delete(name)
        else state.set(name, r.id)
      }
      assert.deepEqual(new Map([...rl.items].sort()), new Map([...state].sort()))
    }

    const secs = ((Date.now() - t0) / 1000).toFixed(1)
    // The measured figures, for the report.
    console.log(
      `      crash: seed ${SEED}, ${stats.kills - 1} kill points + final kill, ${stats.restarts} starts, ` +
        `${stats.issued} writes issued (${stats.acked} acknowledged, ${stats.committedUnacked} unacknowledged but ` +
        `committed, ${stats.lostUnacked} unacknowledged and absent), ${seen.length} watch events, ${secs} s`,
    )
    assert.ok(stats.acked >= 1000, `only ${stats.acked} acknowledged writes`)
    assert.ok(stats.kills - 1 >= 20)
  })
})

/** waitFor polls cond until it holds or ms pass (the daemon runs on real time in another process). */
async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
