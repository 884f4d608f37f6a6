// store.contract.ts is the store contract suite (after kine pkg/drivers/memory/memory_test.go): one behaviour
// per test, exact revision numbers. store.test.ts runs it against a temporary file and against ':memory:'.
import assert from 'node:assert/strict'
import {
  CompactedError,
  FutureRevisionError,
  InvalidContinueError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionConflictError,
  type Store,
  type StoreEvent,
  type StoreOptions,
} from '../../../src/daemon/storage/store.js'

/** MakeStore opens a fresh, empty store. */
export type MakeStore = (opts?: StoreOptions) => Store

const pods = '/registry/core/pods/'
const key = (name: string, ns = 'default') => `${pods}${ns}/${name}`
const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name, namespace: 'default'},
  ...extra,
})
const rv = (o: any) => o.metadata.resourceVersion
const brief = (e: StoreEvent) => `${e.type} ${e.key.slice(pods.length)} ${e.rev}`

/** describeStore registers the contract tests for the store made by makeStore. */
export function describeStore(name: string, makeStore: MakeStore): void {
  describe(`Store contract (${name})`, () => {
    let opened: Store[] = []
    const open = (opts?: StoreOptions) => {
      const s = makeStore(opts)
      opened.push(s)
      return s
    }
    let s: Store
    beforeEach(() => {
      s = open()
    })
    afterEach(() => {
      for (const x of opened) x.close()
      opened = []
    })

    describe('create and get', () => {
      it('starts empty at revision 0', () => {
        assert.equal(s.currentRevision(), 0)
        assert.equal(s.compactRevision(), 0)
        assert.equal(s.get(key('a')), undefined)
      })

      it('creates at revision 1 and stamps resourceVersion on what it returns', () => {
        const r = s.create(key('a'), pod('a'))
        assert.equal(r.rev, 1)
        assert.equal(rv(r.object), '1')
        const g = s.get(key('a'))!
        assert.deepEqual(g, {
          object: {...pod('a'), metadata: {name: 'a', namespace: 'default', resourceVersion: '1'}},
          rev: 1,
          createRev: 1,
        })
        assert.equal(s.currentRevision(), 1)
      })

      it('strips resourceVersion before writing and leaves the caller object alone', () => {
        const input = pod('a')
        ;(input.metadata as any).resourceVersion = '999'
        const r = s.create(key('a'), input)
        assert.equal(rv(r.object), '1')
        assert.equal((input.metadata as any).resourceVersion, '999')
        const u = s.update(key('a'), {...r.object, spec: {x: 1}}, 1)
        assert.equal(rv(u.object), '2')
        assert.deepEqual(s.get(key('a'))!.object.spec, {x: 1})
      })

      it('adds metadata when the object has none', () => {
        const r = s.create('/registry/x/y', {kind: 'Thing'})
        assert.deepEqual(r.object, {kind: 'Thing', metadata: {resourceVersion: '1'}})
      })

      it('refuses to create a live key with KeyExistsError and writes nothing', () => {
        s.create(key('a'), pod('a'))
        assert.throws(() => s.create(key('a'), pod('a')), KeyExistsError)
        assert.equal(s.currentRevision(), 1)
      })

      it('refuses values that are not objects', () => {
        assert.throws(() => s.create(key('a'), 'x' as any), TypeError)
        assert.throws(() => s.create(key('a'), [] as any), TypeError)
      })
    })

    describe('update', () => {
      it('appends a new revision keeping the create revision', () => {
        s.create(key('a'), pod('a'))
        s.create(key('b'), pod('b'))
        const u = s.update(key('a'), pod('a', {spec: {n: 1}}), 1)
        assert.equal(u.rev, 3)
        assert.deepEqual(s.get(key('a')), {
          object: {...pod('a', {spec: {n: 1}}), metadata: {name: 'a', namespace: 'default', resourceVersion: '3'}},
          rev: 3,
          createRev: 1,
        })
      })

      it('throws RevisionConflictError carrying the current object when the revision is stale', () => {
        s.create(key('a'), pod('a'))
        s.update(key('a'), pod('a', {spec: {n: 1}}), 1)
        assert.throws(
          () => s.update(key('a'), pod('a', {spec: {n: 2}}), 1),
          (e: any) => {
            assert.ok(e instanceof RevisionConflictError)
            assert.equal(e.current?.rev, 2)
            assert.equal(rv(e.current?.object), '2')
            assert.deepEqual(e.current?.object.spec, {n: 1})
            assert.match(e.message, /the object has been modified/)
            return true
          },
        )
        assert.equal(s.currentRevision(), 2)
      })

      it('throws KeyNotFoundError for an absent or deleted key', () => {
        assert.throws(() => s.update(key('a'), pod('a'), 1), KeyNotFoundError)
        s.create(key('a'), pod('a'))
        s.delete(key('a'))
        assert.throws(() => s.update(key('a'), pod('a'), 2), KeyNotFoundError)
      })

      it('guaranteedUpdate writes the mutation and skips a no-op', () => {
        s.create(key('a'), pod('a'))
        const r = s.guaranteedUpdate(key('a'), (cur, rev) => {
          assert.equal(rev, 1)
          assert.equal(rv(cur), '1')
          return {...cur, spec: {n: 1}}
        })
        assert.equal(r.rev, 2)
        const same = s.guaranteedUpdate(key('a'), (cur) => cur)
        assert.equal(same.rev, 2)
        assert.equal(s.currentRevision(), 2)
      })
    })

    describe('delete', () => {
      it('appends a tombstone and returns the last state stamped with its revision', () => {
        s.create(key('a'), pod('a', {spec: {n: 1}}))
        const d = s.delete(key('a'))
        assert.equal(d.rev, 2)
        assert.equal(rv(d.object), '2')
        assert.deepEqual(d.object.spec, {n: 1})
        assert.equal(s.get(key('a')), undefined)
        assert.equal(s.currentRevision(), 2)
      })

      it('honours a revision precondition', () => {
        s.create(key('a'), pod('a'))
        s.update(key('a'), pod('a', {spec: {}}), 1)
        assert.throws(
          () => s.delete(key('a'), 1),
          (e: any) => e instanceof RevisionConflictError && e.current?.rev === 2,
        )
        assert.equal(s.delete(key('a'), 2).rev, 3)
      })

      it('throws KeyNotFoundError for an absent or already deleted key', () => {
        assert.throws(() => s.delete(key('a')), KeyNotFoundError)
        s.create(key('a'), pod('a'))
        s.delete(key('a'))
        assert.throws(() => s.delete(key('a')), KeyNotFoundError)
      })

      it('lets a deleted key be created again as a new incarnation', () => {
        s.create(key('a'), pod('a', {spec: {gen: 1}}))
        s.delete(key('a'))
        const c = s.create(key('a'), pod('a', {spec: {gen: 2}}))
        assert.equal(c.rev, 3)
        assert.deepEqual(s.get(key('a')), {
          object: {...pod('a', {spec: {gen: 2}}), metadata: {name: 'a', namespace: 'default', resourceVersion: '3'}},
          rev: 3,
          createRev: 3,
        })
        assert.deepEqual(s.get(key('a'), 1)!.object.spec, {gen: 1})
        assert.equal(s.get(key('a'), 2), undefined)
      })
    })

    describe('list', () => {
      it('lists live keys in key order at the current revision', () => {
        s.create(key('c'), pod('c'))
        s.create(key('a'), pod('a'))
        s.create(key('b'), pod('b'))
        s.update(key('b'), pod('b', {spec: {}}), 3)
        s.delete(key('a'))
        const l = s.list(pods)
        assert.equal(l.revision, 5)
        assert.deepEqual(
          l.items.map((i) => [i.key, i.rev, rv(i.object)]),
          [
            [key('b'), 4, '4'],
            [key('c'), 1, '1'],
          ],
        )
        assert.equal(l.continue, undefined)
        assert.equal(l.remainingItemCount, undefined)
      })

      it('lists at a past revision', () => {
        s.create(key('c'), pod('c')) // 1
        s.create(key('a'), pod('a')) // 2
        s.create(key('b'), pod('b')) // 3
        s.update(key('b'), pod('b', {spec: {}}), 3) // 4
        s.delete(key('a')) // 5
        const at = (r: number) => s.list(pods, {revision: r}).items.map((i) => `${i.key.slice(-1)}@${i.rev}`)
        assert.deepEqual(at(1), ['c@1'])
        assert.deepEqual(at(3), ['a@2', 'b@3', 'c@1'])
        assert.deepEqual(at(4), ['a@2', 'b@4', 'c@1'])
        assert.deepEqual(at(5), ['b@4', 'c@1'])
        assert.equal(s.list(pods, {revision: 3}).revision, 3)
        assert.throws(() => s.list(pods, {revision: 6}), FutureRevisionError)
      })

      it('matches prefixes by whole path segments, and an exact key alone', () => {
        s.create(key('x'), pod('x'))
        s.create(key('x-0'), pod('x-0'))
        s.create(key('y', 'kube-system'), pod('y'))
        s.create(key('w', 'defaultx'), pod('w'))
        s.create('/registry/core/podsx/default/z', pod('z'))
        s.create('/registry/core/pod', pod('p'))
        const keys = (p: string) => s.list(p).items.map((i) => i.key)
        assert.deepEqual(keys(pods), [key('x'), key('x-0'), key('w', 'defaultx'), key('y', 'kube-system')])
        assert.deepEqual(keys(`${pods}default/`), [key('x'), key('x-0')])
        assert.deepEqual(keys(key('x')), [key('x')])
        assert.deepEqual(keys(`${pods}nothing/`), [])
      })

      it('pages with continue, every page read at the first revision', () => {
        for (const n of ['k1', 'k2', 'k3', 'k4', 'k5']) s.create(key(n), pod(n)) // 1..5
        const p1 = s.list(pods, {limit: 2})
        assert.deepEqual(
          p1.items.map((i) => i.key.slice(-2)),
          ['k1', 'k2'],
        )
        assert.equal(p1.revision, 5)
        assert.equal(p1.remainingItemCount, 3)
        assert.ok(p1.continue)

        s.update(key('k3'), pod('k3', {spec: {changed: true}}), 3) // 6
        s.delete(key('k4')) // 7
        s.create(key('k6'), pod('k6')) // 8
        s.create(key('k0'), pod('k0')) // 9

        const p2 = s.list(pods, {limit: 2, continue: p1.continue})
        assert.deepEqual(
          p2.items.map((i) => `${i.key.slice(-2)}@${i.rev}`),
          ['k3@3', 'k4@4'],
        )
        assert.equal(p2.items[0].object.spec, undefined)
        assert.equal(p2.revision, 5)
        assert.equal(p2.remainingItemCount, 1)
        const p3 = s.list(pods, {limit: 2, continue: p2.continue})
        assert.deepEqual(
          p3.items.map((i) => `${i.key.slice(-2)}@${i.rev}`),
          ['k5@5'],
        )
        assert.equal(p3.revision, 5)
        assert.equal(p3.continue, undefined)
        assert.equal(p3.remainingItemCount, undefined)

        // A fresh list sees the later writes.
        const now = s.list(pods, {limit: 10})
        assert.deepEqual(
          now.items.map((i) => `${i.key.slice(-2)}@${i.rev}`),
          ['k0@9', 'k1@1', 'k2@2', 'k3@6', 'k5@5', 'k6@8'],
        )
        assert.equal(now.revision, 9)
      })

      it('pages exactly: a limit equal to the count has no continue', () => {
        for (const n of ['a', 'b']) s.create(key(n), pod(n))
        const l = s.list(pods, {limit: 2})
        assert.equal(l.items.length, 2)
        assert.equal(l.continue, undefined)
      })

      it('rejects a malformed continue token', () => {
        assert.throws(() => s.list(pods, {continue: 'not-base64-json'}), InvalidContinueError)
        const wrong = Buffer.from(JSON.stringify({v: 'x', rv: 1, start: 'a'})).toString('base64')
        assert.throws(() => s.list(pods, {continue: wrong}), InvalidContinueError)
      })

      it('answers a compacted revision or continue token with CompactedError', () => {
        for (const n of ['a', 'b', 'c']) s.create(key(n), pod(n)) // 1..3
        const p1 = s.list(pods, {limit: 1})
        s.update(key('a'), pod('a', {spec: {}}), 1) // 4
        s.update(key('a'), pod('a', {spec: {n: 1}}), 4) // 5
        assert.equal(s.compact(4, {minRetain: 0}), 4)
        assert.throws(
          () => s.list(pods, {limit: 1, continue: p1.continue}),
          (e: any) => e instanceof CompactedError && e.requested === 3 && e.compactRevision === 4 && e.fromContinue,
        )
        assert.throws(
          () => s.list(pods, {revision: 2}),
          (e: any) => e instanceof CompactedError && e.currentRevision === 5 && !e.fromContinue,
        )
        assert.throws(() => s.get(key('a'), 3), CompactedError)
        assert.equal(s.list(pods, {revision: 4}).items.length, 3)
      })
    })

    describe('watch', () => {
      it('backfills from the log, then delivers live changes in order', () => {
        s.create(key('a'), pod('a')) // 1
        s.create(key('b'), pod('b')) // 2
        const seen: StoreEvent[] = []
        const stop = s.watch(pods, 0, (e) => seen.push(e))
        assert.deepEqual(seen.map(brief), ['ADDED default/a 1', 'ADDED default/b 2'])
        s.update(key('a'), pod('a', {spec: {n: 1}}), 1) // 3
        s.delete(key('b')) // 4
        s.create(key('b'), pod('b')) // 5
        assert.deepEqual(seen.map(brief), [
          'ADDED default/a 1',
          'ADDED default/b 2',
          'MODIFIED default/a 3',
          'DELETED default/b 4',
          'ADDED default/b 5',
        ])
        assert.equal(rv(seen[2].object), '3')
        assert.equal(rv(seen[2].prev), '1')
        assert.equal(seen[4].prev, undefined)
        stop()
        s.create(key('c'), pod('c'))
        assert.equal(seen.length, 5)
        assert.equal(s.watcherCount(), 0)
      })

      it('starts after fromRev and filters by prefix', () => {
        s.create(key('a'), pod('a')) // 1
        s.create(key('b', 'other'), pod('b')) // 2
        s.create(key('c'), pod('c')) // 3
        s.create('/registry/core/podsx/default/z', pod('z')) // 4
        const seen: StoreEvent[] = []
        s.watch(`${pods}default/`, 1, (e) => seen.push(e))
        s.create(key('d', 'other'), pod('d')) // 5
        s.create(key('e'), pod('e')) // 6
        assert.deepEqual(seen.map(brief), ['ADDED default/c 3', 'ADDED default/e 6'])
        const one: StoreEvent[] = []
        s.watch(key('a'), 0, (e) => one.push(e))
        s.create(key('a-0'), pod('a-0'))
        s.delete(key('a'))
        assert.deepEqual(one.map(brief), ['ADDED default/a 1', 'DELETED default/a 8'])
      })

      it('sends DELETED with the last state stamped with the tombstone revision', () => {
        s.create(key('a'), pod('a', {spec: {n: 1}})) // 1
        s.update(key('a'), pod('a', {spec: {n: 2}}), 1) // 2
        const seen: StoreEvent[] = []
        s.watch(pods, 2, (e) => seen.push(e))
        s.delete(key('a')) // 3
        assert.equal(seen.length, 1)
        const e = seen[0]
        assert.equal(e.type, 'DELETED')
        assert.equal(e.rev, 3)
        assert.deepEqual(e.object, {
          ...pod('a', {spec: {n: 2}}),
          metadata: {name: 'a', namespace: 'default', resourceVersion: '3'},
        })
        assert.equal(rv(e.prev), '2')
        // The same event replayed from the log.
        const replay: StoreEvent[] = []
        s.watch(pods, 2, (x) => replay.push(x))
        assert.deepEqual(replay, seen)
      })

      it('tells each revision once, in order, when the listener writes during backfill', () => {
        for (const batch of [1, 2, 500]) {
          const st = open({backfillBatch: batch})
          st.create(key('a'), pod('a')) // 1
          st.create(key('b'), pod('b')) // 2
          st.create(key('c'), pod('c')) // 3
          const seen: number[] = []
          st.watch(pods, 0, (e) => {
            seen.push(e.rev)
            // While backfilling revision 1 and 2, write two more: they reach the buffer and (batch 1, 2) the log.
            if (e.rev <= 2) st.create(key(`w${e.rev}`), pod(`w${e.rev}`))
            if (e.rev === 4) st.update(key('a'), pod('a', {spec: {}}), 1)
          })
          st.create(key('z'), pod('z')) // 7
          assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7], `backfillBatch ${batch}`)
        }
      })

      it('keeps revision order for every watcher when a listener writes during live delivery', () => {
        const a: number[] = []
        const b: number[] = []
        s.watch(pods, 0, (e) => {
          a.push(e.rev)
          if (e.key === key('x')) s.create(key('y'), pod('y'))
        })
        s.watch(pods, 0, (e) => b.push(e.rev))
        s.create(key('x'), pod('x')) // 1, then 2 from the listener
        assert.deepEqual(a, [1, 2])
        assert.deepEqual(b, [1, 2])
      })

      it('does not let a throwing listener break the others', () => {
        const logs: string[] = []
        const st = open({log: (m) => logs.push(m)})
        const seen: number[] = []
        st.watch(pods, 0, () => {
          throw new Error('boom')
        })
        st.watch(pods, 0, (e) => seen.push(e.rev))
        st.create(key('a'), pod('a'))
        st.create(key('b'), pod('b'))
        assert.deepEqual(seen, [1, 2])
        assert.equal(logs.length, 2)
        assert.match(logs[0], /boom/)
      })

      it('refuses a compacted start revision with CompactedError', () => {
        s.create(key('a'), pod('a')) // 1
        s.update(key('a'), pod('a', {spec: {}}), 1) // 2
        s.update(key('a'), pod('a', {spec: {n: 1}}), 2) // 3
        assert.equal(s.compact(2, {minRetain: 0}), 2)
        assert.throws(
          () => s.watch(pods, 1, () => {}),
          (e: any) =>
            e instanceof CompactedError && e.requested === 1 && e.compactRevision === 2 && e.currentRevision === 3,
        )
        assert.equal(s.watcherCount(), 0)
        const seen: StoreEvent[] = []
        s.watch(pods, 2, (e) => seen.push(e))
        assert.deepEqual(seen.map(brief), ['MODIFIED default/a 3'])
        assert.equal(rv(seen[0].prev), '2')
      })

      it('can be stopped from inside its own listener', () => {
        const seen: number[] = []
        const stop = s.watch(pods, 0, (e) => {
          seen.push(e.rev)
          stop()
        })
        s.create(key('a'), pod('a'))
        s.create(key('b'), pod('b'))
        assert.deepEqual(seen, [1])
      })
    })

    describe('transaction', () => {
      it('commits several writes together and tells listeners after commit, in order', () => {
        const seen: number[] = []
        s.watch(pods, 0, (e) => seen.push(e.rev))
        const out = s.transaction(() => {
          s.create(key('a'), pod('a'))
          s.create(key('b'), pod('b'))
          s.update(key('a'), pod('a', {spec: {}}), 1)
          assert.deepEqual(seen, [], 'nobody is told before commit')
          return 'done'
        })
        assert.equal(out, 'done')
        assert.deepEqual(seen, [1, 2, 3])
      })

      it('rolls everything back on a throw and tells nobody', () => {
        s.create(key('a'), pod('a')) // 1
        const seen: number[] = []
        s.watch(pods, 1, (e) => seen.push(e.rev))
        assert.throws(
          () =>
            s.transaction(() => {
              s.create(key('b'), pod('b'))
              s.update(key('a'), pod('a', {spec: {}}), 1)
              throw new Error('abort')
            }),
          /abort/,
        )
        assert.equal(s.currentRevision(), 1)
        assert.equal(s.get(key('b')), undefined)
        assert.equal(s.get(key('a'))!.rev, 1)
        assert.deepEqual(seen, [])
        assert.equal(s.create(key('b'), pod('b')).rev, 2, 'the rolled-back revisions are handed out again')
        assert.deepEqual(seen, [2])
      })

      it('keeps the outer writes when a nested transaction fails and is caught', () => {
        const seen: string[] = []
        s.watch(pods, 0, (e) => seen.push(brief(e)))
        s.transaction(() => {
          s.create(key('a'), pod('a'))
          assert.throws(() =>
            s.transaction(() => {
              s.create(key('b'), pod('b'))
              throw new Error('inner')
            }),
          )
          // A failed write is itself a nested transaction: the conflict leaves the outer one usable.
          assert.throws(() => s.create(key('a'), pod('a')), KeyExistsError)
          s.create(key('c'), pod('c'))
        })
        assert.deepEqual(seen, ['ADDED default/a 1', 'ADDED default/c 2'])
        assert.equal(s.get(key('b')), undefined)
      })

      it('refuses to start a watch inside a transaction', () => {
        assert.throws(() => s.transaction(() => s.watch(pods, 0, () => {})), /inside a store transaction/)
      })
    })

    describe('compact', () => {
      const history = (st: Store) => {
        st.create(key('a'), pod('a', {spec: {v: 1}})) // 1
        st.update(key('a'), pod('a', {spec: {v: 2}}), 1) // 2
        st.update(key('a'), pod('a', {spec: {v: 3}}), 2) // 3
        st.create(key('b'), pod('b')) // 4
        st.delete(key('b')) // 5
        st.create(key('c'), pod('c')) // 6
      }

      it('keeps the newest row of every key and drops superseded rows and tombstones', () => {
        history(s)
        assert.equal(s.compact(5, {minRetain: 0}), 5)
        assert.equal(s.compactRevision(), 5)
        assert.equal(s.currentRevision(), 6)
        assert.deepEqual(
          s.list(pods, {revision: 5}).items.map((i) => `${i.key.slice(-1)}@${i.rev}`),
          ['a@3'],
        )
        assert.deepEqual(
          s.list(pods).items.map((i) => `${i.key.slice(-1)}@${i.rev}`),
          ['a@3', 'c@6'],
        )
        assert.deepEqual(s.get(key('a'), 5)!.object.spec, {v: 3})
        const seen: string[] = []
        s.watch(pods, 5, (e) => seen.push(brief(e)))
        assert.deepEqual(seen, ['ADDED default/c 6'])
        // Writes still chain onto the kept rows, and a compacted-away key can be created from scratch.
        assert.equal(s.update(key('a'), pod('a', {spec: {v: 4}}), 3).rev, 7)
        assert.throws(() => s.update(key('a'), pod('a'), 3), RevisionConflictError)
        assert.equal(s.create(key('b'), pod('b')).rev, 8)
      })

      it('gives the same result in batches', () => {
        history(s)
        assert.equal(s.compact(5, {minRetain: 0, batchSize: 1}), 5)
        assert.deepEqual(
          s.list(pods).items.map((i) => `${i.key.slice(-1)}@${i.rev}`),
          ['a@3', 'c@6'],
        )
        assert.equal(s.get(key('a'), 5)!.rev, 3)
      })

      it('never compacts the newest minRetain revisions', () => {
        history(s)
        assert.equal(s.compact(6), 0, 'default minRetain is 1000')
        assert.equal(s.compact(6, {minRetain: 4}), 2)
        assert.equal(s.get(key('a'), 2)!.rev, 2)
        assert.equal(s.compact(1, {minRetain: 0}), 2, 'never goes backwards')
      })

      it('never reuses a revision even when the newest row is compacted away', () => {
        s.create(key('a'), pod('a')) // 1
        s.delete(key('a')) // 2
        assert.equal(s.compact(2, {minRetain: 0}), 2)
        assert.equal(s.currentRevision(), 2)
        assert.deepEqual(s.list(pods), {items: [], revision: 2})
        assert.equal(s.create(key('a'), pod('a')).rev, 3)
      })
    })
  })
}
