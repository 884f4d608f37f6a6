// daemon.ts starts a real daemon in-process for component tests: ':memory:' store, a FakeClock, a fixed seed,
// port 0, and a temporary MKCTL_HOME holding a kubeconfig that both the real kubectl and mkctl can use.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {FakeClock} from '../../src/daemon/clock.js'
import {startDaemon, type Daemon, type DaemonOptions} from '../../src/daemon/main.js'

/** TestDaemon is a daemon plus the files a client needs to reach it. */
export interface TestDaemon {
  daemon: Daemon
  clock: FakeClock
  home: string
  kubeconfig: string
  /** kubectl runs the real kubectl against the daemon (private discovery cache). */
  kubectl(args: string[], opts?: {input?: string; env?: Record<string, string>}): Promise<RunResult>
  /** mkctl runs the built CLI against the daemon. */
  mkctl(args: string[], opts?: {input?: string; env?: Record<string, string>}): Promise<RunResult>
  /** settle waits until the controllers, scheduler and kubelets have nothing left to do. */
  settle(): Promise<void>
  /** advance moves the fake clock on by ms, letting every timer on the way fire at its time. */
  advance(ms: number): Promise<void>
  stop(): Promise<void>
}

/** RunResult is what a finished command printed and returned. */
export interface RunResult {
  stdout: string
  stderr: string
  code: number
}

const ROOT = join(import.meta.dirname, '..', '..')

/** kubectlAvailable tells whether the real kubectl is on PATH. */
export function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], {stdio: 'ignore'}).status === 0
}

/** kubeconfigYaml renders a kubeconfig for one cluster/context/user named `name`. */
export function kubeconfigYaml(name: string, server: string, caCert: string, token: string): string {
  const ca = Buffer.from(caCert).toString('base64')
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${ca}`,
    `    server: ${server}`,
    `  name: ${name}`,
    'contexts:',
    '- context:',
    `    cluster: ${name}`,
    '    namespace: default',
    `    user: ${name}`,
    `  name: ${name}`,
    `current-context: ${name}`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${name}`,
    '  user:',
    `    token: ${token}`,
    '',
  ].join('\n')
}

/** run spawns a command and collects its output (asynchronously, so the in-process daemon keeps serving). */
export function run(cmd: string, args: string[], opts: {input?: string; env?: Record<string, string>; cwd?: string} = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {env: {...process.env, ...opts.env}, cwd: opts.cwd ?? ROOT})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({stdout, stderr, code: code ?? -1}))
    if (opts.input !== undefined) child.stdin.end(opts.input)
    else child.stdin.end()
  })
}

/** startTestDaemon starts an in-process daemon with a fake clock. */
export async function startTestDaemon(opts: Partial<DaemonOptions> = {}): Promise<TestDaemon> {
  const home = mkdtempSync(join(tmpdir(), 'mkctl-test-'))
  const clock = new FakeClock()
  const daemon = await startDaemon({dbPath: ':memory:', clock, seed: 1, ...opts})
  const kubeconfig = join(home, 'kubeconfig')
  writeFileSync(kubeconfig, kubeconfigYaml('mkctl', daemon.url, daemon.caCert, daemon.token), {mode: 0o600})
  const cache = join(home, 'cache')
  const env = {KUBECONFIG: kubeconfig, MKCTL_HOME: home, MKCTL_AUTOSTART: '0', KUBECACHEDIR: cache, HOME: home}
  return {
    daemon,
    clock,
    home,
    kubeconfig,
    kubectl: (args, o = {}) => run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cache, ...args], {...o, env: {...env, ...o.env}}),
    mkctl: (args, o = {}) => run(process.execPath, [join(ROOT, 'bin', 'mkctl.js'), ...args], {...o, env: {...env, ...o.env}}),
    settle: () => daemon.cluster.manager.settle(),
    advance: (ms) => daemon.cluster.manager.advance(ms),
    async stop() {
      await daemon.stop()
      rmSync(home, {recursive: true, force: true})
    },
  }
}
