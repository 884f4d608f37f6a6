// load.test.ts covers `mkctl cluster load`: the request it posts and the lines it prints (in process), then the real
// binary (bin/mkctl.js, `npm run build` first) against a started profile: a short load on a Service with progress and
// summary, the pods' logs that grew, and Ctrl-C stopping a long load with its summary. The binary part skips itself
// while the daemon does not serve /mkctl/v1/load (404).
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {formatProgress, formatSummary, loadRequest, type LoadStatus} from '../../../src/cli/cluster/load.js'
import {run, type RunResult} from '../../helpers/daemon.js'
import {ApiClient} from '../../helpers/http.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const MKCTL = join(ROOT, 'bin', 'mkctl.js')

function status(extra: Partial<LoadStatus> = {}): LoadStatus {
  return {
    id: 'load-1',
    request: 'GET http://web.default.svc.cluster.local:80/',
    origin: 'node mkctl',
    rps: 20,
    durationMs: 2000,
    total: 40,
    elapsedMs: 2000,
    state: 'done',
    sent: 40,
    ok: 38,
    errors: 2,
    currentRps: 20,
    throughput: 20,
    failures: {'HTTP 503': 2},
    statusCodes: {200: 38, 503: 2},
    pods: {'default/web-a': 20, 'default/web-b': 20},
    latencyMs: {p50: 1.25, p90: 1.25, p99: 2.5, mean: 1.3, max: 2.5},
    ...extra,
  }
}

describe('mkctl cluster load', function () {
  describe('request and output', () => {
    it('posts the target as a trace request, with rate, duration and path', () => {
      assert.deepEqual(
        loadRequest({target: 'svc/web', namespace: 'shop', rps: 50, duration: '1m30s', path: '/api', method: 'GET'}),
        {method: 'GET', service: {namespace: 'shop', name: 'web'}, path: '/api', rps: 50, durationMs: 90_000},
      )
      assert.deepEqual(
        loadRequest({target: 'http://web', namespace: 'default', rps: 5, duration: '10', from: 'pod/c'}),
        {
          url: 'http://web',
          from: {namespace: 'default', pod: 'c'},
          rps: 5,
          durationMs: 10_000,
        },
      )
      assert.throws(
        () => loadRequest({target: 'svc/web', namespace: 'default', rps: 5, duration: 'soon'}),
        /invalid duration/,
      )
      assert.throws(() => loadRequest({target: 'svc/web', namespace: 'default', rps: 5, duration: '0s'}), /positive/)
      assert.throws(
        () => loadRequest({target: 'svc/web', namespace: 'default', rps: 5, duration: '1s', path: 'api'}),
        /--path must start with \//,
      )
    })

    it('prints a progress line and a summary with failures by kind and latency percentiles', () => {
      assert.equal(
        formatProgress(status({elapsedMs: 1000, state: 'running', sent: 21, ok: 21, errors: 0})),
        '      1s/2s  sent 21  ok 21  errors 0  20 req/s\n',
      )
      assert.equal(
        formatSummary(status({lastError: 'default/web-b answered 503'})),
        [
          '* Summary:',
          '  Requests:      40 in 2s of cluster time',
          '  Successes:     38',
          '  Failures:      2',
          '    HTTP 503: 2',
          '    last error: default/web-b answered 503',
          '  Throughput:    20 requests/s',
          '  Latency:       p50 1.25ms  p90 1.25ms  p99 2.5ms  (mean 1.3ms, max 2.5ms, simulated)',
          '  Status codes:  200: 38, 503: 2',
          '  Served by:     default/web-a: 20, default/web-b: 20',
          '',
        ].join('\n'),
      )
      assert.match(formatSummary(status({state: 'stopped'})), /^\* Summary \(stopped early\):\n/)
    })
  })

  describe('through the binary against a started profile', function () {
    this.timeout(60_000)
    let dir: string
    let env: Record<string, string>
    const mkctl = (args: string[]) => run(process.execPath, [MKCTL, ...args, '-p', 'load'], {env})
    const ok = (r: RunResult, what: string) =>
      assert.equal(r.code, 0, `${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
    const profile = () => join(dir, 'profiles', 'load')

    before(async function () {
      if (!existsSync(join(ROOT, 'dist'))) this.skip()
      dir = mkdtempSync(join(tmpdir(), 'mkctl-load-'))
      env = {MKCTL_HOME: dir, HOME: dir, KUBECONFIG: '', MKCTL_AUTOSTART: '', KUBECACHEDIR: join(dir, 'kube-cache')}
      ok(await mkctl(['cluster', 'start', '--timing', 'fast']), 'cluster start')
      const d = JSON.parse(readFileSync(join(profile(), 'daemon.json'), 'utf8'))
      const api = new ApiClient(
        d.url,
        readFileSync(join(profile(), 'ca.crt'), 'utf8'),
        readFileSync(join(profile(), 'token'), 'utf8').trim(),
      )
      if ((await api.request('GET', '/mkctl/v1/load')).status === 404) this.skip()
      ok(
        await run(process.execPath, [MKCTL, 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2'], {
          env,
        }),
        'create',
      )
      ok(await run(process.execPath, [MKCTL, 'expose', 'deployment', 'web', '--port=80'], {env}), 'expose')
      ok(await mkctl(['cluster', 'time', 'advance', '20s']), 'advance')
    })
    after(async () => {
      if (!dir) return
      await run(process.execPath, [MKCTL, 'cluster', 'stop', '-p', 'load'], {env})
      const f = join(profile(), 'daemon.json')
      if (existsSync(f)) {
        const pid = JSON.parse(readFileSync(f, 'utf8')).pid as number
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      rmSync(dir, {recursive: true, force: true})
    })

    it('sends the load, prints progress and a summary, and the pods log the requests', async () => {
      const r = await mkctl(['cluster', 'load', 'svc/web', '--rps', '20', '--duration', '2s'])
      ok(r, 'cluster load')
      const lines = r.stdout.split('\n')
      assert.match(
        lines[0]!,
        /^\* Sending 20 requests\/s for 2s \(40 requests\): GET http:\/\/web\.default\.svc\.cluster\.local:80\/ from node load \[load-\d+\]$/,
      )
      assert.ok(
        lines.some((l) => /^ +\d+(\.\d+)?s\/2s {2}sent \d+ {2}ok \d+ {2}errors 0 {2}\d+ req\/s$/.test(l)),
        r.stdout,
      )
      assert.match(r.stdout, /^ {2}Requests: +40 in 2s of cluster time$/m)
      assert.match(r.stdout, /^ {2}Successes: +40$/m)
      assert.match(r.stdout, /^ {2}Failures: +0$/m)
      assert.match(r.stdout, /^ {2}Throughput: +20 requests\/s$/m)
      assert.match(r.stdout, /^ {2}Latency: +p50 [\d.]+ms {2}p90 [\d.]+ms {2}p99 [\d.]+ms/m)
      assert.match(r.stdout, /^ {2}Served by: +default\/web-\S+: 20, default\/web-\S+: 20$/m)
      const logs = await run(process.execPath, [MKCTL, 'logs', '-l', 'app=web', '--tail=-1'], {env})
      ok(logs, 'logs')
      assert.ok((logs.stdout.match(/mkctl-load/g) ?? []).length >= 40, logs.stdout.slice(-500))
    })

    it('stops early on Ctrl-C and still prints the summary', async () => {
      const child = spawn(
        process.execPath,
        [MKCTL, 'cluster', 'load', 'svc/web', '--rps', '10', '--duration', '10m', '-p', 'load'],
        {
          env: {...process.env, ...env},
          cwd: ROOT,
        },
      )
      let out = ''
      let err = ''
      child.stderr.on('data', (d) => (err += d))
      const code = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)))
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (d) => {
          out += d
          if (/ req\/s\n/.test(out)) resolve()
        }),
      )
      child.kill('SIGINT')
      assert.equal(await code, 0, `stdout: ${out}\nstderr: ${err}`)
      assert.match(out, /^\* Summary \(stopped early\):$/m)
      const sent = Number(/^ {2}Requests: +(\d+) in /m.exec(out)?.[1])
      assert.ok(sent >= 10 && sent < 6000, out)
    })
  })
})
