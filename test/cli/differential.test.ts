// Differential tests: the same command through the real kubectl and through mkctl, on the same kubeconfig file or
// the same stub server; stdout, stderr and exit code must match (kubectl's own name replaced by mkctl's).
import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startStub, type Stub} from './helpers/stub-server.js'
import {ensureBuilt} from '../helpers/build.js'

const ROOT = join(import.meta.dirname, '..', '..')
const hasKubectl =
  spawnSync('kubectl', ['version', '--client'], {env: {...process.env, KUBECONFIG: '/dev/null'}}).status === 0

interface Result {
  stdout: string
  stderr: string
  status: number | null
}

// run spawns asynchronously: the stub server lives in this process and must keep answering meanwhile.
function run(bin: 'kubectl' | 'mkctl', args: string[], env: NodeJS.ProcessEnv): Promise<Result> {
  const [cmd, argv] = bin === 'kubectl' ? ['kubectl', args] : [process.execPath, [join(ROOT, 'bin/mkctl.js'), ...args]]
  const child = spawn(cmd, argv, {env: {PATH: process.env.PATH, HOME: env.HOME, ...env}})
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (c: Buffer) => out.push(c))
  child.stderr.on('data', (c: Buffer) => err.push(c))
  const scrub = (s: string) => (bin === 'kubectl' ? s.replace(/\bkubectl\b/g, 'mkctl') : s)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (status) =>
      resolve({
        stdout: scrub(Buffer.concat(out).toString('utf8')),
        stderr: scrub(Buffer.concat(err).toString('utf8')),
        status,
      }),
    )
  })
}

const KC = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: Y2VydA==
    server: https://127.0.0.1:6443
  name: mkctl
- cluster:
    insecure-skip-tls-verify: true
    server: http://127.0.0.1:8080
  name: other
contexts:
- context: {cluster: mkctl, user: mkctl, namespace: kube-system}
  name: mkctl
- context: {cluster: other, user: other}
  name: other
- context: {cluster: ghost, user: ghost}
  name: ghost
current-context: mkctl
users:
- name: mkctl
  user: {token: abc123}
- name: other
  user: {client-certificate-data: Y2VydA==, client-key-data: a2V5, username: bob, password: pw}
preferences: {}
`

describe('differential: mkctl vs kubectl', function () {
  let dir: string
  let env: NodeJS.ProcessEnv
  before(function () {
    if (!hasKubectl) this.skip()
    this.timeout(180_000)
    ensureBuilt()
  })
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mkctl-diff-'))
    env = {KUBECONFIG: '/dev/null', MKCTL_HOME: join(dir, 'home'), HOME: dir}
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  // read-only config commands run on one file
  const readOnly: string[][] = [
    ['config', 'view'],
    ['config', 'view', '--raw'],
    ['config', 'view', '--minify'],
    ['config', 'view', '--minify', '--raw', '-o', 'json'],
    ['config', 'view', '-o', 'json'],
    ['--context', 'other', 'config', 'view', '--minify'],
    ['--context', 'ghost', 'config', 'view', '--minify'],
    ['--context', 'nope', 'config', 'view', '--minify'],
    ['config', 'get-contexts'],
    ['config', 'get-contexts', '-o', 'name'],
    ['config', 'get-contexts', 'other'],
    ['config', 'get-contexts', 'nope'],
    ['config', 'get-contexts', '--no-headers'],
    ['config', 'get-clusters'],
    ['config', 'current-context'],
    ['config', 'use-context', 'nope'],
    ['config', 'view', '--foo'],
    ['config', 'view', '-x'],
    ['config', 'view', '-o'],
    ['config', 'view', 'a', 'b'],
    ['config', 'view', '--minify=maybe'],
    ['confg', 'view'],
    ['gett'],
    ['xyzzy'],
    ['-n'],
    ['-n', 'x', 'gett'],
  ]
  for (const args of readOnly) {
    it(`mkctl --kubeconfig F ${args.join(' ')}`, async () => {
      const f = join(dir, 'kc')
      writeFileSync(f, KC)
      const k = await run('kubectl', ['--kubeconfig', f, ...args], env)
      const m = await run('mkctl', ['--kubeconfig', f, ...args], env)
      if (args[1] === 'get-clusters') {
        // kubectl walks a Go map here, so its order varies from run to run: compare the header and the set of names.
        const lines = (r: typeof k) => {
          const [head, ...rest] = r.stdout.split('\n')
          return {...r, stdout: [head, ...rest.sort()].join('\n')}
        }
        assert.deepEqual(lines(m), lines(k))
        return
      }
      assert.deepEqual(m, k)
    })
  }

  // mutating commands: each tool works on its own copy; output and the resulting file must match
  const mutating: string[][] = [
    ['config', 'use-context', 'other'],
    ['config', 'set-context', '--current', '--namespace=dev'],
    ['config', 'set-context', 'newctx', '--namespace', 'bar'],
    ['config', 'set-context', 'other', '--cluster=mkctl', '--user', 'mkctl'],
    ['config', 'set-context'],
    ['config', 'delete-context', 'other'],
    ['config', 'delete-context', 'mkctl'],
    ['config', 'delete-context', 'nope'],
  ]
  for (const args of mutating) {
    it(`mkctl --kubeconfig F ${args.join(' ')} (file result)`, async () => {
      const fk = join(dir, 'k')
      const fm = join(dir, 'm')
      writeFileSync(fk, KC)
      copyFileSync(fk, fm)
      const k = await run('kubectl', ['--kubeconfig', fk, ...args], env)
      const m = await run('mkctl', ['--kubeconfig', fm, ...args], env)
      assert.deepEqual(
        {...m, stdout: m.stdout.replaceAll(fm, 'F'), stderr: m.stderr.replaceAll(fm, 'F')},
        {...k, stdout: k.stdout.replaceAll(fk, 'F'), stderr: k.stderr.replaceAll(fk, 'F')},
      )
      assert.equal(readFileSync(fm, 'utf8'), readFileSync(fk, 'utf8'))
    })
  }

  it('set-context on a missing file creates the same file', async () => {
    const fk = join(dir, 'k-new')
    const fm = join(dir, 'm-new')
    const k = await run('kubectl', ['--kubeconfig', fk, 'config', 'set-context', 'foo', '--namespace', 'x'], env)
    const m = await run('mkctl', ['--kubeconfig', fm, 'config', 'set-context', 'foo', '--namespace', 'x'], env)
    assert.deepEqual(m, k)
    assert.equal(readFileSync(fm, 'utf8'), readFileSync(fk, 'utf8'))
  })

  describe('against a stub API server', () => {
    let legacy: Stub
    let aggregated: Stub
    const services = [
      {
        metadata: {
          name: 'kube-dns',
          namespace: 'kube-system',
          labels: {'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS'},
        },
        spec: {ports: [{name: 'dns', port: 53, protocol: 'UDP'}]},
      },
      {
        metadata: {name: 'metrics', namespace: 'kube-system', labels: {'kubernetes.io/cluster-service': 'true'}},
        spec: {ports: [{port: 443}]},
      },
    ]
    before(async () => {
      legacy = await startStub({services})
      aggregated = await startStub({aggregated: true, services})
    })
    after(async () => {
      await legacy?.close()
      await aggregated?.close()
    })

    const cmds: string[][] = [
      ['api-resources'],
      ['api-resources', '-o', 'wide'],
      ['api-resources', '-o', 'name'],
      ['api-resources', '--namespaced=false'],
      ['api-resources', '--api-group=apps', '--no-headers'],
      ['api-resources', '--api-group='],
      ['api-resources', '--verbs=list,watch', '--sort-by=kind'],
      ['api-resources', '--categories=all'],
      ['api-resources', '-o', 'json'],
      ['api-versions'],
      ['cluster-info'],
    ]
    for (const agg of [false, true]) {
      for (const args of cmds) {
        it(`${agg ? 'aggregated' : 'legacy'}: ${args.join(' ')}`, async () => {
          const url = agg ? aggregated.url : legacy.url
          const k = await run('kubectl', ['-s', url, '--cache-dir', join(dir, 'kc'), ...args], env)
          const m = await run('mkctl', ['-s', url, '--cache-dir', join(dir, 'mc'), ...args], env)
          assert.deepEqual(m, k)
        })
      }
    }

    it('version: the Server Version line matches; the client line is mkctl 1.32', async () => {
      const k = await run('kubectl', ['-s', legacy.url, 'version'], env)
      const m = await run('mkctl', ['-s', legacy.url, 'version'], env)
      assert.equal(m.status, 0)
      assert.equal(
        m.stdout,
        `Client Version: v1.32.4\n${k.stdout.split('\n').find((l) => l.startsWith('Server Version'))}\n`,
      )
      const j = JSON.parse((await run('mkctl', ['-s', legacy.url, 'version', '-o', 'json'], env)).stdout)
      const kj = JSON.parse((await run('kubectl', ['-s', legacy.url, 'version', '-o', 'json'], env)).stdout)
      assert.deepEqual(j.serverVersion, kj.serverVersion)
    })

    // klog E-lines carry time and pid: scrub them; cluster-info's count of them differs (kubectl retries 5 times).
    const scrubKlog = (s: string) => s.replace(/^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm, 'E<TIME> <PID> ')
    for (const args of [['api-versions'], ['api-resources'], ['cluster-info'], ['version']]) {
      it(`connection refused: ${args.join(' ')}`, async () => {
        const k = await run('kubectl', ['-s', 'http://127.0.0.1:1', '--cache-dir', join(dir, 'kc'), ...args], env)
        const m = await run('mkctl', ['-s', 'http://127.0.0.1:1', '--cache-dir', join(dir, 'mc'), ...args], env)
        assert.equal(m.status, k.status)
        if (args[0] === 'version') {
          assert.equal(m.stderr, k.stderr)
          return
        }
        assert.equal(m.stdout, k.stdout)
        const dedupe = (s: string) => [...new Set(scrubKlog(s).split('\n'))].join('\n')
        assert.equal(dedupe(m.stderr), dedupe(k.stderr))
      })
    }
  })
})
