// log.test.ts drives GET pods/{name}/log through HTTP on an in-process daemon: options, the apiserver's and the
// kubelet's errors, and follow streams that deliver what the workload writes as the fake clock advances.
import assert from 'node:assert/strict'
import https from 'node:https'
import {startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'
import {ApiClient} from '../../helpers/http.js'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {
  formatLine,
  parseLogOptions,
  rfc3339Nano,
  selectLines,
  validateContainerLogStatus,
} from '../../../src/daemon/streaming/log.js'

const LOG = (pod: string, q = '') => `/api/v1/namespaces/default/pods/${pod}/log${q}`

/** FollowStream is an open follow request: what arrived so far, and whether the server ended it. */
interface FollowStream {
  status: number
  text(): string
  ended: Promise<void>
  /** waitFor resolves once the received text satisfies pred (real time, bounded). */
  waitFor(pred: (s: string) => boolean, ms?: number): Promise<void>
  close(): void
}

function openFollow(d: TestDaemon, path: string): Promise<FollowStream> {
  const u = new URL(path, d.daemon.url)
  return new Promise((resolve, reject) => {
    let buf = ''
    let endResolve!: () => void
    const ended = new Promise<void>((r) => (endResolve = r))
    const req = https.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: 'GET',
        ca: d.daemon.caCert,
        headers: {Authorization: `Bearer ${d.daemon.token}`},
      },
      (res) => {
        res.on('data', (c) => (buf += c))
        res.on('end', endResolve)
        res.on('close', endResolve)
        resolve({
          status: res.statusCode ?? 0,
          text: () => buf,
          ended,
          async waitFor(pred, ms = 3000) {
            const start = Date.now()
            while (!pred(buf)) {
              if (Date.now() - start > ms) throw new Error(`stream never matched; got ${JSON.stringify(buf)}`)
              await new Promise((r) => setTimeout(r, 20))
            }
          },
          close: () => req.destroy(),
        })
      },
    )
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)))
    req.end()
  })
}

describe('daemon pods/log', function () {
  this.timeout(30000)
  let d: TestDaemon
  let api: ApiClient
  const pod = (name: string, containers: unknown[], extra: Record<string, unknown> = {}) =>
    api.request('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name},
      spec: {containers, ...extra},
    })

  before(async () => {
    d = await startTestDaemon()
    api = new ApiClient(d.daemon.url, d.daemon.caCert, d.daemon.token)
    await pod('web', [{name: 'nginx', image: 'nginx'}])
    await pod('loop', [
      {
        name: 'sh',
        image: 'busybox',
        command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo line $i; sleep 1; done'],
      },
    ])
    await pod(
      'short',
      [{name: 'c', image: 'busybox', command: ['sh', '-c', 'echo a; sleep 3; echo b; sleep 2; exit 0']}],
      {
        restartPolicy: 'Never',
      },
    )
    await pod('two', [
      {name: 'a', image: 'nginx'},
      {name: 'b', image: 'busybox', command: ['sleep', '3600']},
    ])
    await pod('bad', [{name: 'c', image: 'ngnix-nope'}])
    await pod('crash', [{name: 'c', image: 'busybox', command: ['sh', '-c', 'echo starting; sleep 2; exit 1']}])
    await d.settle()
  })
  after(async () => d?.stop())

  it('returns what nginx wrote at startup as text/plain', async () => {
    const r = await api.request('GET', LOG('web'))
    assert.equal(r.status, 200)
    assert.match(String(r.headers['content-type']), /^text\/plain/)
    assert.match(r.text, /^\/docker-entrypoint.sh: /)
    assert.match(r.text, /start worker processes\n/)
  })

  it('applies tailLines, limitBytes, timestamps and since', async () => {
    const all = (await api.request('GET', LOG('web'))).text.split('\n').filter(Boolean)
    assert.ok(all.length > 3)
    const tail = await api.request('GET', LOG('web', '?tailLines=2'))
    assert.equal(tail.text, all.slice(-2).join('\n') + '\n')
    assert.equal((await api.request('GET', LOG('web', '?tailLines=0'))).text, '')
    const limited = await api.request('GET', LOG('web', '?limitBytes=10'))
    assert.equal(limited.text, all.join('\n').slice(0, 10))
    const ts = await api.request('GET', LOG('web', '?timestamps=true&tailLines=1'))
    assert.match(ts.text, /^2026-01-01T00:00:00Z \S/)
    await d.advance(10_000)
    // nginx wrote everything at start-up, more than 5 s ago
    assert.equal((await api.request('GET', LOG('web', '?sinceSeconds=5'))).text, '')
    assert.equal(
      (await api.request('GET', LOG('web', '?sinceTime=2025-12-31T00:00:00Z'))).text.split('\n').length - 1,
      all.length,
    )
    const loop = await api.request('GET', LOG('loop', '?sinceSeconds=3'))
    assert.equal(loop.text.split('\n').filter(Boolean).length, 3)
  })

  it('formats timestamps as Go RFC3339Nano and selects lines as the kubelet', () => {
    assert.equal(rfc3339Nano(Date.parse('2026-01-01T00:00:00Z')), '2026-01-01T00:00:00Z')
    assert.equal(rfc3339Nano(Date.parse('2026-01-01T00:00:00.120Z')), '2026-01-01T00:00:00.12Z')
    assert.equal(formatLine({at: 0, stream: 'stdout', text: 'x'}, true), '1970-01-01T00:00:00Z x\n')
    const lines = [1, 2, 3, 4].map((i) => ({at: i * 1000, stream: 'stdout' as const, text: String(i)}))
    // tail first, then since
    assert.deepEqual(
      selectLines(lines, {...parseLogOptions({tailLines: '3', sinceSeconds: '2'}, 'p')}, 4000).map((l) => l.text),
      ['2', '3', '4'],
    )
  })

  it('rejects invalid options as the apiserver does', async () => {
    let r = await api.request('GET', LOG('web', '?tailLines=-2'))
    assert.equal(r.status, 422)
    assert.equal(
      r.json.message,
      'PodLogOptions "web" is invalid: tailLines: Invalid value: -2: must be greater than or equal to 0',
    )
    r = await api.request('GET', LOG('web', '?limitBytes=0'))
    assert.equal(r.json.message, 'PodLogOptions "web" is invalid: limitBytes: Invalid value: 0: must be greater than 0')
    r = await api.request('GET', LOG('web', '?sinceSeconds=0'))
    assert.equal(
      r.json.message,
      'PodLogOptions "web" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0',
    )
    r = await api.request('GET', LOG('web', '?follow=maybe'))
    assert.equal(r.status, 400)
  })

  it('answers the apiserver and kubelet errors', async () => {
    const cases: [string, number, string | RegExp][] = [
      [LOG('nope'), 404, 'pods "nope" not found'],
      [LOG('two'), 400, 'a container name must be specified for pod two, choose one of: [a b]'],
      [LOG('two', '?container=zz'), 400, 'container zz is not valid for pod two'],
      [LOG('web', '?previous=true'), 400, 'previous terminated container "nginx" in pod "web" not found'],
      // ErrImagePull or ImagePullBackOff, depending on where the back-off is
      [
        LOG('bad'),
        400,
        /^container "c" in pod "bad" is waiting to start: (image can't be pulled|trying and failing to pull image)$/,
      ],
    ]
    for (const [path, code, message] of cases) {
      const r = await api.request('GET', path)
      assert.equal(r.status, code, path)
      assert.equal(r.json.kind, 'Status')
      if (typeof message === 'string') assert.equal(r.json.message, message, path)
      else assert.match(r.json.message, message, path)
      assert.equal(r.json.reason, code === 404 ? 'NotFound' : 'BadRequest')
    }
    assert.equal((await api.request('GET', LOG('two', '?container=b'))).status, 200)
  })

  it('says why a container is still waiting (validateContainerLogStatus)', () => {
    const p = (cs: unknown) => ({metadata: {name: 'p'}, status: {containerStatuses: [cs]}}) as Pod
    const msg = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return (e as Error).message
      }
      return 'no error'
    }
    assert.equal(
      msg(() =>
        validateContainerLogStatus(p({name: 'c', state: {waiting: {reason: 'ContainerCreating'}}}), 'c', false),
      ),
      'container "c" in pod "p" is waiting to start: ContainerCreating',
    )
    assert.equal(
      msg(() => validateContainerLogStatus(p({name: 'c', state: {waiting: {reason: 'ErrImagePull'}}}), 'c', false)),
      `container "c" in pod "p" is waiting to start: image can't be pulled`,
    )
    assert.equal(
      msg(() => validateContainerLogStatus(p({name: 'c', state: {}}), 'c', false)),
      'container "c" in pod "p" is waiting to start - no logs yet',
    )
    assert.equal(
      msg(() => validateContainerLogStatus(p({name: 'c', state: {terminated: {exitCode: 0}}}), 'c', false)),
      'container "c" in pod "p" is terminated',
    )
    assert.equal(
      msg(() => validateContainerLogStatus(p({name: 'x', state: {}}), 'c', false)),
      'container "c" in pod "p" is not available',
    )
    const restarted = p({
      name: 'c',
      containerID: 'containerd://new',
      state: {running: {}},
      lastState: {terminated: {containerID: 'containerd://old', exitCode: 1}},
    })
    assert.equal(validateContainerLogStatus(restarted, 'c', false), 'containerd://new')
    assert.equal(validateContainerLogStatus(restarted, 'c', true), 'containerd://old')
  })

  it('reads the previous run after a restart', async () => {
    await d.advance(30_000)
    const cur = await api.request('GET', LOG('crash'))
    assert.equal(cur.status, 200)
    assert.equal(cur.text, 'starting\n')
    const prev = await api.request('GET', LOG('crash', '?previous=true'))
    assert.equal(prev.status, 200)
    assert.equal(prev.text, 'starting\n')
  })

  it('follows: streams new lines as the clock advances and stops on disconnect', async () => {
    const s = await openFollow(d, LOG('loop', '?follow=true&tailLines=1'))
    assert.equal(s.status, 200)
    await s.waitFor((t) => /^line \d+\n$/.test(t))
    const first = Number(/line (\d+)/.exec(s.text())![1])
    await d.advance(2000)
    await s.waitFor((t) => t.includes(`line ${first + 2}\n`))
    await d.advance(1000)
    await s.waitFor((t) => t.includes(`line ${first + 3}\n`))
    s.close()
    await s.ended
  })

  it('follows: ends the stream when the container exits', async () => {
    const s = await openFollow(d, LOG('short', '?follow=true'))
    await s.waitFor((t) => t.length > 0)
    await d.advance(10_000)
    await s.ended
    assert.equal(s.text(), 'a\nb\n')
  })

  it('follows a finished container: answers at once', async () => {
    const s = await openFollow(d, LOG('short', '?follow=true&timestamps=true'))
    await s.ended
    assert.match(s.text(), /^2026-\S+ a\n2026-\S+ b\n$/)
  })

  it('follows with limitBytes: ends once the budget is spent', async () => {
    const s = await openFollow(d, LOG('loop', '?follow=true&tailLines=0&limitBytes=12'))
    await d.advance(5000)
    await s.ended
    assert.equal(s.text().length, 12)
  })
})
