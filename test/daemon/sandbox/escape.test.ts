// escape.test.ts tries to get out of the container sandbox — host files through /proc, `..`, symlinks and
// redirections, host interpreters, command substitution, endless loops and huge outputs — with spies on every
// child_process function and on node:fs and node:net entry points: no host process may start, and no host file
// outside node_modules may be read or written while the shell runs.
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {createRequire, syncBuiltinESMExports} from 'node:module'
import {join} from 'node:path'
import type {ContainerSandbox} from '../../../src/daemon/sandbox/index.js'
import {startEnv, type Env} from './setup.js'

const require = createRequire(import.meta.url)
const ROOT = join(import.meta.dirname, '..', '..', '..')
const NODE_MODULES = join(ROOT, 'node_modules')
const CANARY = 'mkctl-escape-canary-7f3a'

interface Spy {
  processes: string[]
  files: string[]
  sockets: string[]
  restore(): void
}

/** spyHost replaces host-reaching functions with recorders (and lets node_modules reads through). */
function spyHost(): Spy {
  const spy: Spy = {processes: [], files: [], sockets: [], restore: () => {}}
  const restores: (() => void)[] = []
  const patch = (
    mod: Record<string, unknown>,
    name: string,
    wrap: (orig: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown,
  ) => {
    const orig = mod[name] as ((...a: unknown[]) => unknown) | undefined
    if (typeof orig !== 'function') return
    mod[name] = wrap(orig)
    restores.push(() => {
      mod[name] = orig
    })
  }
  const cp = require('node:child_process') as Record<string, unknown>
  for (const n of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'])
    patch(cp, n, () => (...a: unknown[]) => {
      spy.processes.push(`${n} ${JSON.stringify(a[0])}`)
      throw new Error('host process blocked by test')
    })
  const pathOf = (a: unknown): string | undefined =>
    typeof a === 'string' ? a : a instanceof URL ? a.pathname : Buffer.isBuffer(a) ? a.toString() : undefined
  const allowed = (p: string) => p.startsWith(NODE_MODULES) || p.includes('/node_modules/')
  const fsNames = [
    'readFile',
    'readFileSync',
    'writeFile',
    'writeFileSync',
    'appendFile',
    'appendFileSync',
    'open',
    'openSync',
    'createReadStream',
    'createWriteStream',
    'readdir',
    'readdirSync',
    'stat',
    'statSync',
    'lstat',
    'lstatSync',
    'readlink',
    'readlinkSync',
    'realpath',
    'realpathSync',
    'symlink',
    'symlinkSync',
    'unlink',
    'unlinkSync',
    'mkdir',
    'mkdirSync',
    'rm',
    'rmSync',
    'rename',
    'renameSync',
    'copyFile',
    'copyFileSync',
    'access',
    'accessSync',
    'existsSync',
    'opendir',
    'opendirSync',
    'cp',
    'cpSync',
  ]
  const fs = require('node:fs') as Record<string, unknown>
  const fsp = require('node:fs/promises') as Record<string, unknown>
  for (const [mod, label] of [
    [fs, 'fs'],
    [fsp, 'fs/promises'],
  ] as const)
    for (const n of fsNames)
      patch(
        mod,
        n,
        (orig) =>
          function (this: unknown, ...a: unknown[]) {
            const p = pathOf(a[0])
            if (p !== undefined && !allowed(p)) spy.files.push(`${label}.${n} ${p}`)
            return orig.apply(this, a)
          },
      )
  const net = require('node:net') as Record<string, unknown>
  for (const n of ['connect', 'createConnection'])
    patch(net, n, () => (...a: unknown[]) => {
      spy.sockets.push(`net.${n} ${JSON.stringify(a[0])}`)
      throw new Error('socket blocked by test')
    })
  const dns = require('node:dns') as Record<string, unknown>
  patch(dns, 'lookup', () => (...a: unknown[]) => {
    spy.sockets.push(`dns.lookup ${String(a[0])}`)
    throw new Error('dns blocked by test')
  })
  syncBuiltinESMExports()
  spy.restore = () => {
    for (const r of restores.reverse()) r()
    syncBuiltinESMExports()
  }
  return spy
}

/** ATTEMPTS are escape attempts, each with a check of what the sandbox must answer instead. */
const ATTEMPTS: {script: string; check: (r: {stdout: string; stderr: string; exitCode: number}) => void}[] = [
  {
    script: 'cat /proc/self/environ',
    check: (r) => assert.ok(!r.stdout.includes(CANARY) && r.stdout.includes('HOSTNAME=web')),
  },
  {script: 'cat /proc/1/environ; cat /proc/self/status', check: (r) => assert.ok(!r.stdout.includes(CANARY))},
  {script: 'env; printenv', check: (r) => assert.ok(!r.stdout.includes(CANARY))},
  {script: 'cat ../../../../etc/passwd', check: (r) => assert.match(r.stdout, /^root:x:0:0:root:\/root:\/bin\/bash\n/)},
  {
    script: 'cd /; cd ..; cd ../..; pwd; ls',
    check: (r) => assert.ok(r.stdout.startsWith('/\n') && !r.stdout.includes('node_modules')),
  },
  {script: `cat ${join(ROOT, 'package.json')}`, check: (r) => assert.notEqual(r.exitCode, 0)},
  {script: 'cat /etc/shadow /root/.bashrc', check: (r) => assert.notEqual(r.exitCode, 0)},
  {
    script: `ln -s ${join(ROOT, 'package.json')} /tmp/p; cat /tmp/p`,
    check: (r) => assert.ok(!r.stdout.includes('"name"')),
  },
  {script: 'ln -s /etc/hostname /tmp/h; cat /tmp/h', check: (r) => assert.equal(r.stdout, 'web\n')},
  {script: `ln -s / /tmp/root; ls /tmp/root${ROOT}`, check: (r) => assert.notEqual(r.exitCode, 0)},
  {
    script: `echo pwned > ${join(ROOT, 'PWNED-by-escape-test')}; cat ${join(ROOT, 'PWNED-by-escape-test')}`,
    check: (r) => assert.equal(r.stdout, 'pwned\n'),
  },
  {script: 'echo pwned >> /tmp/../../tmp/x; cat /tmp/x', check: (r) => assert.equal(r.stdout, 'pwned\n')},
  {script: `node -e "require('child_process').execSync('id')"`, check: (r) => assert.equal(r.exitCode, 127)},
  {script: 'nodejs -v; python -c "import os; os.system(\'id\')"', check: (r) => assert.equal(r.exitCode, 127)},
  {script: 'python3 -c 1 || perl -e 1 || ruby -e 1', check: (r) => assert.equal(r.exitCode, 127)},
  {script: 'js-exec -c "1"; sqlite3 :memory: "select 1"', check: (r) => assert.equal(r.exitCode, 127)},
  {script: 'echo $(cat /etc/hostname) `hostname` $(whoami)', check: (r) => assert.equal(r.stdout, 'web web root\n')},
  {
    script: 'x=$(cat /proc/self/environ | tr "\\0" "\\n" | grep -c .); echo $x',
    check: (r) => assert.match(r.stdout, /^\d+\n$/),
  },
  {
    script: 'source /etc/profile; . /etc/profile; echo $PATH',
    check: (r) => assert.match(r.stdout, /\/usr\/local\/sbin/),
  },
  {script: 'exec /bin/sh -c "echo from-exec"', check: (r) => assert.ok(!r.stderr.includes('blocked'))},
  {
    script: 'sh -c "sh -c \\"bash -c id\\""',
    check: (r) => assert.equal(r.stdout, 'uid=0(root) gid=0(root) groups=0(root)\n'),
  },
  {script: 'eval "$(echo cat /etc/hostname)"', check: (r) => assert.equal(r.stdout, 'web\n')},
  {
    script: 'curl -s http://127.0.0.1:22/ ; curl -s http://example.com/; wget -q -O- http://10.0.0.1/',
    check: (r) => assert.notEqual(r.exitCode, 0),
  },
  {script: 'while true; do :; done', check: (r) => assert.equal(r.exitCode, 126)},
  {script: 'f() { f; }; f', check: (r) => assert.notEqual(r.exitCode, 0)},
  {script: 'for i in $(seq 1 1000000); do echo $i; done', check: (r) => assert.notEqual(r.exitCode, 0)},
  {script: 'seq 1 5000000', check: (r) => assert.ok(r.stdout.length <= 8 * 1024 * 1024)},
  {script: 'x=aaaaaaaaaa; while true; do x=$x$x; done', check: (r) => assert.notEqual(r.exitCode, 0)},
  {script: 'mount; df -h; ps aux; id; uname -a', check: (r) => assert.equal(r.exitCode, 0)},
  {script: 'find / -name package.json; ls /work /home', check: (r) => assert.ok(!r.stdout.includes('package.json'))},
]

describe('sandbox escape attempts', function () {
  this.timeout(120_000)
  let env: Env
  let sb: ContainerSandbox
  before(async () => {
    env = await startEnv()
    env.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'web', namespace: 'default'},
      spec: {containers: [{name: 'nginx', image: 'nginx'}]},
    } as never)
    sb = await env.sandbox('web')
  })
  after(async () => env?.stop())

  it('runs every attempt inside the sandbox: 0 host processes, 0 host files, 0 sockets', async () => {
    process.env.MKCTL_ESCAPE_CANARY = CANARY
    const spy = spyHost()
    const failures: string[] = []
    try {
      for (const a of ATTEMPTS) {
        const r = await sb.run(['sh', '-c', a.script])
        try {
          a.check(r)
        } catch (e) {
          failures.push(`${a.script}: ${(e as Error).message}\n  => ${JSON.stringify(r).slice(0, 300)}`)
        }
      }
    } finally {
      spy.restore()
      delete process.env.MKCTL_ESCAPE_CANARY
    }
    assert.deepEqual(spy.processes, [], 'host processes started')
    assert.deepEqual(spy.files, [], 'host files touched')
    assert.deepEqual(spy.sockets, [], 'sockets opened')
    assert.deepEqual(failures, [])
    assert.equal(existsSync(join(ROOT, 'PWNED-by-escape-test')), false)
  })

  it('catches a host access (the spy can fail)', async () => {
    const spy = spyHost()
    try {
      const fs = require('node:fs') as typeof import('node:fs')
      fs.existsSync(join(ROOT, 'package.json'))
      assert.throws(() => (require('node:child_process') as typeof import('node:child_process')).execSync('true'))
    } finally {
      spy.restore()
    }
    assert.equal(spy.files.length, 1)
    assert.equal(spy.processes.length, 1)
  })
})
