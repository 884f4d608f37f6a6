import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Container, Pod, Probe} from 'kubernetes-types/core/v1.js'
import {FakeClock} from '../../../src/daemon/clock.js'
import {makeIds} from '../../../src/daemon/ids.js'
import {
  CATALOG,
  ImageIndex,
  accessLogLine,
  createRuntime,
  expandK8sVars,
  invalidImageNameMessage,
  loadImageFile,
  parseReference,
  type RuntimeContainer,
  type SimRuntime,
} from '../../../src/daemon/runtime/index.js'

const START = Date.parse('2026-01-01T00:00:00Z')

function setup(timing: 'fast' | 'realistic' = 'fast', extra?: Parameters<typeof createRuntime>[0]['extraImages']) {
  const clock = new FakeClock(START)
  const rt = createRuntime({clock, ids: makeIds(7), timing, extraImages: extra})
  return {clock, rt}
}

let podN = 0
function start(rt: SimRuntime, c: Container, opts: {now?: number; uid?: string; restartCount?: number} = {}) {
  const now = opts.now ?? START
  const p = rt.pull('node-a', c.image!, 'IfNotPresent', now)
  if (!p.ok) throw new Error(p.message)
  const uid = opts.uid ?? `uid-${++podN}`
  const pod: Pod = {
    metadata: {name: 'web-0', namespace: 'default', uid},
    spec: {containers: [c]},
    status: {podIP: '10.244.1.7'},
  }
  return rt.start({
    node: 'node-a',
    pod,
    container: c,
    init: false,
    restartCount: opts.restartCount ?? 0,
    image: p.image,
    now,
  })
}

const texts = (rt: SimRuntime, uid: string, name: string, at: number, previous = false) =>
  rt.logs(uid, name, {now: at, previous})!.map((l) => l.text)

describe('runtime: image references', () => {
  const cases: [string, string][] = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['user/app:v1', 'docker.io/user/app:v1'],
    ['docker.io/nginx', 'docker.io/library/nginx:latest'],
    ['index.docker.io/library/redis:7', 'docker.io/library/redis:7'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['localhost/app:v2', 'localhost/app:v2'],
    ['my.registry:8443/team/app:1.0', 'my.registry:8443/team/app:1.0'],
    [`nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
    [`nginx:1.27@sha256:${'b'.repeat(64)}`, `docker.io/library/nginx:1.27@sha256:${'b'.repeat(64)}`],
  ]
  for (const [input, want] of cases) it(`normalizes ${input}`, () => assert.equal(parseReference(input).ref, want))

  const bad: [string, string][] = [
    [
      'Nginx',
      `Failed to apply default image tag "Nginx": couldn't parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase`,
    ],
    [
      'nginx:',
      `Failed to apply default image tag "nginx:": couldn't parse image name "nginx:": invalid reference format`,
    ],
    [
      'nginx@sha256:abc',
      `Failed to apply default image tag "nginx@sha256:abc": couldn't parse image name "nginx@sha256:abc": invalid reference format`,
    ],
  ]
  for (const [input, want] of bad)
    it(`rejects ${input} with the kubelet's message`, () => assert.equal(invalidImageNameMessage(input), want))
  it('accepts valid names', () =>
    assert.equal(invalidImageNameMessage('ghcr.io/stefanprodan/podinfo:6.9.2'), undefined))
})

describe('runtime: catalog', () => {
  const index = new ImageIndex(CATALOG)
  it('has at least 40 repositories and unique, valid digests', () => {
    assert.ok(index.repositories().length >= 40, `only ${index.repositories().length}`)
    const digests = index.images().map((i) => i.digest)
    assert.equal(new Set(digests).size, digests.length)
    for (const d of digests) assert.match(d, /^sha256:[0-9a-f]{64}$/)
  })
  it('never gives one tag to two images of a repository', () => {
    for (const def of CATALOG) {
      const tags = def.images.flatMap((v) => v.tags)
      assert.equal(new Set(tags).size, tags.length, `${def.name} repeats a tag`)
    }
  })
  const lookups: [
    string,
    Partial<{tag: string; version: string; profile: string; entrypoint: string[]; cmd: string[]; ports: number[]}>,
  ][] = [
    [
      'nginx',
      {
        tag: 'latest',
        version: '1.29.3',
        profile: 'nginx',
        entrypoint: ['/docker-entrypoint.sh'],
        cmd: ['nginx', '-g', 'daemon off;'],
        ports: [80],
      },
    ],
    ['nginx:1.14.2', {version: '1.14.2'}],
    ['busybox:1.28', {profile: 'shell', cmd: ['sh']}],
    ['redis:7', {version: '7.4.6', cmd: ['redis-server'], ports: [6379]}],
    ['postgres:16', {version: '16.11', ports: [5432]}],
    ['registry.k8s.io/pause:3.10', {profile: 'pause', entrypoint: ['/pause']}],
    ['hashicorp/http-echo', {profile: 'http-echo', ports: [5678]}],
    ['registry.k8s.io/e2e-test-images/agnhost:2.40', {profile: 'agnhost'}],
  ]
  for (const [ref, want] of lookups) {
    it(`resolves ${ref}`, () => {
      const img = index.resolve(parseReference(ref))
      assert.ok(img)
      for (const [k, v] of Object.entries(want)) assert.deepEqual(img[k as keyof typeof img], v, k)
    })
  }
  it('gives every tag of one image the same digest', () => {
    const a = index.resolve(parseReference('nginx:latest'))!
    const b = index.resolve(parseReference('nginx:1.29.3'))!
    const c = index.resolve(parseReference('nginx:1.28'))!
    assert.equal(a.digest, b.digest)
    assert.notEqual(a.digest, c.digest)
    assert.equal(index.resolve(parseReference(`nginx@${a.digest}`))?.version, '1.29.3')
  })
})

describe('runtime: pull', () => {
  it("fails an unknown repository with containerd's message", () => {
    const {rt} = setup()
    assert.deepEqual(rt.pull('n', 'ngnix', 'IfNotPresent', START), {
      ok: false,
      message:
        'failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    })
  })
  it('fails an unknown tag of a known repository as NotFound', () => {
    const {rt} = setup()
    const r = rt.pull('n', 'nginx:1.99', 'Always', START)
    assert.equal(
      r.ok ? '' : r.message,
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found',
    )
  })
  it('fails an unknown registry host with a DNS error', () => {
    const {rt} = setup()
    const r = rt.pull('n', 'myregistry.local/app:v1', 'IfNotPresent', START)
    assert.match(r.ok ? '' : r.message, /lookup myregistry\.local on 192\.168\.49\.1:53: no such host$/)
  })
  it('caches per node and honours imagePullPolicy', () => {
    const {rt} = setup('realistic')
    const never = rt.pull('n', 'nginx:1.27', 'Never', START)
    assert.equal(never.ok ? '' : never.message, 'Container image "nginx:1.27" is not present with pull policy of Never')
    const first = rt.pull('n', 'nginx:1.27', 'IfNotPresent', START)
    assert.ok(
      first.ok && !first.alreadyPresent && first.durationMs >= 1000 && first.durationMs <= 3000,
      JSON.stringify(first),
    )
    const second = rt.pull('n', 'nginx:1.27', 'IfNotPresent', START)
    assert.ok(second.ok && second.alreadyPresent && second.durationMs === 0)
    assert.ok(rt.pull('n', 'docker.io/library/nginx:1.27', 'Never', START).ok)
    const always = rt.pull('n', 'nginx:1.27', 'Always', START)
    assert.ok(always.ok && !always.alreadyPresent && always.durationMs < 1000)
    assert.equal(rt.hasImage('n', 'nginx:1.27'), true)
    assert.equal(rt.hasImage('other', 'nginx:1.27'), false)
    const img = first.ok ? first.image : undefined
    assert.deepEqual(rt.imagesOn('n'), [
      {names: [`docker.io/library/nginx@${img!.digest}`, 'docker.io/library/nginx:1.27'], sizeBytes: img!.sizeBytes},
    ])
  })
  it('answers imagesOn with the same list until a pull changes the node', () => {
    const {rt} = setup('fast')
    rt.pull('n', 'nginx:1.27', 'IfNotPresent', START)
    const first = rt.imagesOn('n')
    assert.equal(rt.imagesOn('n'), first, 'nothing changed: the same list')
    rt.pull('n', 'nginx:1.27', 'Always', START)
    assert.equal(rt.imagesOn('n'), first, 'a pull of an image the node has changes nothing')
    rt.pull('n', 'busybox:1.36', 'IfNotPresent', START)
    const second = rt.imagesOn('n')
    assert.notEqual(second, first)
    assert.equal(second.length, 2)
    assert.deepEqual(rt.imagesOn('other'), [])
  })
  it('pulls in no time with fast timing', () => {
    const {rt} = setup('fast')
    const r = rt.pull('n', 'mysql:8.4', 'IfNotPresent', START)
    assert.ok(r.ok && r.durationMs === 0)
  })
})

describe('runtime: profiles', () => {
  const cases: {name: string; c: Container; at?: number; want: RegExp[]}[] = [
    {
      name: 'nginx',
      c: {name: 'c', image: 'nginx:1.27'},
      want: [
        /^\/docker-entrypoint\.sh: Configuration complete; ready for start up$/,
        /^2026\/01\/01 00:00:00 \[notice\] 1#1: nginx\/1\.27\.5$/,
        /start worker process 29$/,
      ],
    },
    {
      name: 'redis',
      c: {name: 'c', image: 'redis:7'},
      want: [
        /^1:C 01 Jan 2026 00:00:00\.000 \* Redis version=7\.4\.6/,
        /^1:M 01 Jan 2026 00:00:00\.000 \* Ready to accept connections tcp$/,
      ],
    },
    {
      name: 'postgres',
      c: {name: 'c', image: 'postgres:17', env: [{name: 'POSTGRES_PASSWORD', value: 's3cret'}]},
      want: [
        /^PostgreSQL init process complete; ready for start up\.$/,
        /^2026-01-01 00:00:00\.000 UTC \[1\] LOG: {2}database system is ready to accept connections$/,
      ],
    },
    {
      name: 'mysql',
      c: {name: 'c', image: 'mysql:8.4', env: [{name: 'MYSQL_ROOT_PASSWORD', value: 'x'}]},
      want: [
        /\[Entrypoint\]: MySQL init process done\. Ready for start up\.$/,
        /mysqld: ready for connections\. Version: '8\.4\.7'/,
      ],
    },
    {
      name: 'mongo',
      c: {name: 'c', image: 'mongo:7.0'},
      want: [/"msg":"Waiting for connections","attr":\{"port":27017,"ssl":"off"\}/],
    },
    {
      name: 'httpd',
      c: {name: 'c', image: 'httpd'},
      want: [
        /^AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10\.244\.1\.7\./,
        /AH00489: Apache\/2\.4\.65 \(Unix\) configured -- resuming normal operations$/,
      ],
    },
    {
      name: 'http-echo',
      c: {name: 'c', image: 'hashicorp/http-echo', args: ['-text=hello']},
      want: [/^2026\/01\/01 00:00:00 \[INFO\] server is listening on :5678$/],
    },
    {
      name: 'agnhost netexec',
      c: {name: 'c', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080']},
      want: [/^I0101 00:00:00\.000000 {7}1 log\.go:245\] Started HTTP server on port 8080$/],
    },
    {
      name: 'counter loop',
      c: {
        name: 'c',
        image: 'busybox:1.28',
        args: ['/bin/sh', '-c', 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'],
      },
      at: 2500,
      want: [/^0: Thu Jan {2}1 00:00:00 UTC 2026$/, /^2: Thu Jan {2}1 00:00:02 UTC 2026$/],
    },
  ]
  for (const c of cases) {
    it(`${c.name} writes its startup lines`, () => {
      const {rt} = setup()
      const inst = start(rt, c.c)
      assert.equal(inst.exit, undefined)
      const lines = texts(rt, inst.podUid, 'c', START + (c.at ?? 100))
      for (const re of c.want)
        assert.ok(
          lines.some((l) => re.test(l)),
          `${re} not in:\n${lines.join('\n')}`,
        )
    })
  }
  it('the counter loop writes one line per second, lazily', () => {
    const {rt} = setup()
    const inst = start(rt, {
      name: 'c',
      image: 'busybox',
      command: ['sh', '-c', 'i=0; while true; do echo "$i"; i=$((i+1)); sleep 1; done'],
    })
    assert.deepEqual(texts(rt, inst.podUid, 'c', START + 3500), ['0', '1', '2', '3'])
    assert.equal(texts(rt, inst.podUid, 'c', START + 10_500).length, 11)
  })
  it('keeps at most 10,000 lines of a busy loop', () => {
    const {rt} = setup()
    const inst = start(rt, {name: 'c', image: 'alpine', command: ['sh', '-c', 'while true; do echo spam; done']})
    const lines = rt.logs(inst.podUid, 'c', {now: START + 24 * 3600_000})!
    assert.ok(lines.length <= 10_000 && lines.length > 1000)
  })
})

describe('runtime: how containers end', () => {
  const cases: {
    name: string
    c: Container
    exit?: {afterMs: number; code: number; reason: string}
    message?: RegExp
    logs?: string[]
  }[] = [
    {
      name: 'busybox without a command completes at once',
      c: {name: 'c', image: 'busybox'},
      exit: {afterMs: 0, code: 0, reason: 'Completed'},
    },
    {
      name: 'false exits 1',
      c: {name: 'c', image: 'busybox', command: ['false']},
      exit: {afterMs: 0, code: 1, reason: 'Error'},
    },
    {
      name: 'sleep 10 ends after 10 s',
      c: {name: 'c', image: 'busybox', command: ['sleep', '10']},
      exit: {afterMs: 10_000, code: 0, reason: 'Completed'},
    },
    {name: 'sleep infinity runs forever', c: {name: 'c', image: 'ubuntu', command: ['sleep', 'infinity']}},
    {
      name: 'sh -c with && || and exit',
      c: {name: 'c', image: 'alpine', command: ['sh', '-c', 'echo a && false || echo b; sleep 2; exit 3']},
      exit: {afterMs: 2001, code: 3, reason: 'Error'},
      logs: ['a', 'b'],
    },
    {
      name: 'for loop and printf',
      c: {name: 'c', image: 'debian', command: ['bash', '-c', 'for i in 1 2 3; do printf "%s-%02d\\n" n $i; done']},
      exit: {afterMs: 1, code: 0, reason: 'Completed'},
      logs: ['n-01', 'n-02', 'n-03'],
    },
    {
      name: 'env expansion: image env, spec env, $(VAR), HOSTNAME',
      c: {
        name: 'c',
        image: 'busybox',
        env: [
          {name: 'GREETING', value: 'hi'},
          {name: 'MSG', value: '$(GREETING) there'},
        ],
        command: ['sh', '-c', 'echo "$MSG from $HOSTNAME"; echo ${UNSET:-dflt} $PATH'],
      },
      exit: {afterMs: 1, code: 0, reason: 'Completed'},
      logs: ['hi there from web-0', 'dflt /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    },
    {
      name: 'a missing command inside a dash script exits 127',
      c: {name: 'c', image: 'ubuntu', command: ['sh', '-c', 'foo']},
      exit: {afterMs: 1, code: 127, reason: 'Error'},
      logs: ['sh: 1: foo: not found'],
    },
    {
      name: 'a missing command inside busybox sh exits 127',
      c: {name: 'c', image: 'busybox', command: ['sh', '-c', 'foo']},
      exit: {afterMs: 1, code: 127, reason: 'Error'},
      logs: ['sh: foo: not found'],
    },
    {
      name: 'a missing executable is a StartError',
      c: {name: 'c', image: 'busybox', command: ['foo']},
      exit: {afterMs: 0, code: 128, reason: 'StartError'},
      message:
        /^failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "foo": executable file not found in \$PATH: unknown$/,
    },
    {
      name: 'pause has no shell',
      c: {name: 'c', image: 'registry.k8s.io/pause:3.10', command: ['sh']},
      exit: {afterMs: 0, code: 128, reason: 'StartError'},
    },
    {
      name: 'postgres without a password exits 1',
      c: {name: 'c', image: 'postgres'},
      exit: {afterMs: 0, code: 1, reason: 'Error'},
    },
    {
      name: 'mysql without a password exits 1',
      c: {name: 'c', image: 'mysql'},
      exit: {afterMs: 0, code: 1, reason: 'Error'},
    },
    {
      name: 'nginx without daemon off exits 0',
      c: {name: 'c', image: 'nginx', command: ['nginx']},
      exit: {afterMs: 0, code: 0, reason: 'Completed'},
    },
    {
      name: 'http-echo without -text exits 127',
      c: {name: 'c', image: 'hashicorp/http-echo'},
      exit: {afterMs: 0, code: 127, reason: 'Error'},
      logs: ['Missing -text option!'],
    },
    {
      name: 'stress over its memory limit is OOMKilled',
      c: {
        name: 'c',
        image: 'polinux/stress',
        command: ['stress'],
        args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'],
        resources: {limits: {memory: '100Mi'}},
      },
      exit: {afterMs: 300, code: 137, reason: 'OOMKilled'},
    },
    {
      name: 'stress under its limit runs on',
      c: {
        name: 'c',
        image: 'polinux/stress',
        command: ['stress'],
        args: ['--vm', '1', '--vm-bytes', '50M'],
        resources: {limits: {memory: '100Mi'}},
      },
    },
    {
      name: 'a limit below the server baseline is OOMKilled',
      c: {
        name: 'c',
        image: 'mysql:8.4',
        env: [{name: 'MYSQL_ROOT_PASSWORD', value: 'x'}],
        resources: {limits: {memory: '256Mi'}},
      },
      exit: {afterMs: 300, code: 137, reason: 'OOMKilled'},
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const {rt} = setup()
      const inst = start(rt, c.c)
      assert.deepEqual(inst.exit, c.exit)
      if (c.message) assert.match((inst as {message?: string}).message ?? '', c.message)
      if (c.logs) assert.deepEqual(texts(rt, inst.podUid, 'c', START + 60_000), c.logs)
    })
  }
  it("the postgres error message is the image's", () => {
    const {rt} = setup()
    const inst = start(rt, {name: 'c', image: 'postgres:16'})
    const lines = texts(rt, inst.podUid, 'c', START)
    assert.equal(lines[0], 'Error: Database is uninitialized and superuser password is not specified.')
    assert.equal(lines[2], '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".')
  })
})

describe('runtime: probes', () => {
  it('answers the liveness-exec example: ok at 10 s, failing at 40 s', () => {
    const {rt} = setup()
    const inst = start(rt, {
      name: 'c',
      image: 'registry.k8s.io/busybox',
      args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
    })
    const probe: Probe = {exec: {command: ['cat', '/tmp/healthy']}}
    assert.deepEqual(inst.probe(probe, START + 10_000), {success: true})
    assert.deepEqual(inst.probe(probe, START + 40_000), {
      success: false,
      message: "cat: can't open '/tmp/healthy': No such file or directory",
    })
  })
  it('uses GNU wording on Debian images and reports missing executables', () => {
    const {rt} = setup()
    const inst = start(rt, {name: 'c', image: 'debian', command: ['sleep', 'infinity']})
    assert.deepEqual(inst.probe({exec: {command: ['cat', '/nope']}}, START + 1000), {
      success: false,
      message: 'cat: /nope: No such file or directory',
    })
    assert.match(
      inst.probe({exec: {command: ['pg_isready']}}, START + 1000).message ?? '',
      /exec: "pg_isready": executable file not found in \$PATH/,
    )
    assert.deepEqual(inst.probe({exec: {command: ['sh', '-c', 'sleep 5']}, timeoutSeconds: 1}, START + 1000), {
      success: false,
      message: 'command "sh -c sleep 5" timed out',
    })
  })
  const http: {name: string; c: Container; probe: Probe; at: number; want: {success: boolean; message?: string}}[] = [
    {
      name: 'nginx / is 200',
      c: {name: 'c', image: 'nginx'},
      probe: {httpGet: {path: '/', port: 80}},
      at: 1000,
      want: {success: true},
    },
    {
      name: 'nginx elsewhere is 404',
      c: {name: 'c', image: 'nginx'},
      probe: {httpGet: {path: '/healthz', port: 80}},
      at: 1000,
      want: {success: false, message: 'HTTP probe failed with statuscode: 404'},
    },
    {
      name: 'a port nobody listens on is refused',
      c: {name: 'c', image: 'nginx'},
      probe: {httpGet: {path: '/', port: 8080}},
      at: 1000,
      want: {
        success: false,
        message: 'Get "http://10.244.1.7:8080/": dial tcp 10.244.1.7:8080: connect: connection refused',
      },
    },
    {
      name: 'a named port resolves',
      c: {name: 'c', image: 'nginx', ports: [{name: 'web', containerPort: 80}]},
      probe: {httpGet: {path: '/', port: 'web'}},
      at: 1000,
      want: {success: true},
    },
    {
      name: 'tcpSocket on redis',
      c: {name: 'c', image: 'redis'},
      probe: {tcpSocket: {port: 6379}},
      at: 1000,
      want: {success: true},
    },
    {
      name: 'tcpSocket refused',
      c: {name: 'c', image: 'redis'},
      probe: {tcpSocket: {port: 6380}},
      at: 1000,
      want: {success: false, message: 'dial tcp 10.244.1.7:6380: connect: connection refused'},
    },
    {
      name: 'agnhost liveness is 200 at 5 s',
      c: {name: 'c', image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['liveness']},
      probe: {httpGet: {path: '/healthz', port: 8080}},
      at: 5000,
      want: {success: true},
    },
    {
      name: 'agnhost liveness is 500 after 10 s',
      c: {name: 'c', image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['liveness']},
      probe: {httpGet: {path: '/healthz', port: 8080}},
      at: 15_000,
      want: {success: false, message: 'HTTP probe failed with statuscode: 500'},
    },
    {
      name: 'redis-cli ping via exec',
      c: {name: 'c', image: 'redis'},
      probe: {exec: {command: ['redis-cli', 'ping']}},
      at: 1000,
      want: {success: true},
    },
    {
      name: 'pg_isready via exec',
      c: {name: 'c', image: 'postgres', env: [{name: 'POSTGRES_PASSWORD', value: 'p'}]},
      probe: {exec: {command: ['pg_isready', '-U', 'postgres']}},
      at: 1000,
      want: {success: true},
    },
    {
      name: 'grpc on agnhost',
      c: {name: 'c', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['grpc-health-checking']},
      probe: {grpc: {port: 5000}},
      at: 1000,
      want: {success: true},
    },
  ]
  for (const c of http) {
    it(c.name, () => {
      const {rt} = setup()
      const inst = start(rt, c.c)
      assert.deepEqual(inst.probe(c.probe, START + c.at), c.want)
    })
  }
  it('nginx logs probe requests in its access log', () => {
    const {rt} = setup()
    const inst = start(rt, {name: 'c', image: 'nginx'})
    inst.probe({httpGet: {path: '/', port: 80}}, START + 5000)
    assert.equal(
      texts(rt, inst.podUid, 'c', START + 6000).at(-1),
      '10.244.1.1 - - [01/Jan/2026:00:00:05 +0000] "GET / HTTP/1.1" 200 615 "-" "kube-probe/1.32" "-"',
    )
  })
})

describe('runtime: runs and logs', () => {
  it('keeps the previous run for --previous, and kill records the end', () => {
    const {rt, clock} = setup()
    const c: Container = {name: 'c', image: 'busybox', command: ['sh', '-c', 'echo run-$RANDOM-start; sleep 3600']}
    const first = start(rt, c, {uid: 'p1'})
    rt.kill(first, START + 5000)
    assert.equal(first.finishedAt, START + 5000)
    assert.equal(first.exitCode, 137)
    const second = start(rt, c, {uid: 'p1', now: START + 10_000, restartCount: 1})
    assert.notEqual(second.id, first.id)
    assert.match(second.id, /^containerd:\/\/[0-9a-f]{64}$/)
    assert.match(texts(rt, 'p1', 'c', START + 20_000, true)[0], /^run-\d+-start$/)
    assert.equal(texts(rt, 'p1', 'c', START + 20_000).length, 1)
    assert.equal(rt.logs('p1', 'other', {now: START}), undefined)
    void clock
    rt.forgetPod('p1')
    assert.equal(rt.logs('p1', 'c', {now: START + 20_000}), undefined)
  })
  it("makes a container's file tree when it is first read, from the pod as it was at the start", () => {
    const {rt} = setup()
    const c: Container = {
      name: 'c',
      image: 'busybox',
      command: ['sleep', '3600'],
      volumeMounts: [{name: 'v', mountPath: '/data/x'}],
    }
    const inst = start(rt, c, {uid: 'tree'}) as RuntimeContainer
    const files = inst.files
    assert.equal(inst.files, files, 'made once')
    assert.match(files.get('/etc/hosts') ?? '', /10\.244\.1\.7\tweb-0\n$/)
    assert.match(files.get('/etc/resolv.conf') ?? '', /^search default\.svc\.cluster\.local /)
    assert.equal(files.get('/var/run/secrets/kubernetes.io/serviceaccount/namespace'), 'default')
    assert.ok(inst.process!.proc.dirs.has('/data/x'), 'mounts are directories')
    assert.equal(inst.process!.proc.files, files, 'the process sees the same tree')
  })
  it('a process that ends by itself reports finishedAt and exitCode once the clock passes its end', () => {
    const {rt, clock} = setup()
    const inst = start(rt, {name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 2; exit 4']})
    assert.equal(inst.finishedAt, undefined)
    clock.advance(3000)
    assert.equal(inst.finishedAt, START + 2001)
    assert.equal(inst.exitCode, 4)
  })
  it('nginx exits 0 on SIGTERM with its shutdown lines; a shell ignores SIGTERM', () => {
    const {rt} = setup()
    const ng = start(rt, {name: 'c', image: 'nginx'}, {uid: 'ng'})
    const term = (ng as unknown as {termination(): {afterMs: number; code: number} | undefined}).termination()
    assert.deepEqual(term, {afterMs: 50, code: 0})
    rt.kill(ng, START + 1000, 0)
    assert.equal(texts(rt, 'ng', 'c', START + 2000).at(-1), '2026/01/01 00:00:01 [notice] 1#1: exit')
    const sh = start(rt, {name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 100']})
    assert.equal((sh as unknown as {termination(): unknown}).termination(), undefined)
  })
  it('appendLog adds lines in order, and accessLogLine formats them', () => {
    const {rt} = setup()
    const inst = start(rt, {name: 'c', image: 'hashicorp/http-echo', args: ['-text=hi']}, {uid: 'e'})
    const req = {method: 'GET', path: '/', clientIP: '10.244.2.3', headers: {'User-Agent': 'curl/8.5.0'}}
    const res = {status: 200, body: 'hi\n'}
    const line = accessLogLine('nginx', req, res, START + 3000)
    assert.equal(line, '10.244.2.3 - - [01/Jan/2026:00:00:03 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/8.5.0" "-"')
    assert.equal(
      accessLogLine('common', req, res, START),
      '10.244.2.3 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 3',
    )
    rt.appendLog('e', 'c', {at: START + 3000, stream: 'stdout', text: line})
    assert.deepEqual(texts(rt, 'e', 'c', START + 4000), [
      '2026/01/01 00:00:00 [INFO] server is listening on :5678',
      line,
    ])
    void inst
  })
})

describe('runtime: lab image files', () => {
  let dir: string
  before(() => (dir = mkdtempSync(join(tmpdir(), 'mkctl-images-'))))
  after(() => rmSync(dir, {recursive: true, force: true}))
  it('loads images whose behaviour a lab declares', () => {
    const path = join(dir, 'images.yaml')
    writeFileSync(
      path,
      [
        '- name: example.com/shop/api',
        '  entrypoint: [/api]',
        '  ports: [8080]',
        '  images:',
        '    - tags: [v1, latest]',
        '      sizeBytes: 12000000',
        '      behavior: {logs: ["listening on :8080"]}',
        '    - tags: [v2]',
        '      sizeBytes: 12500000',
        '      behavior:',
        '        logs: ["listening on :8080"]',
        '        http: {/ready: {status: 503}}',
      ].join('\n'),
    )
    const defs = loadImageFile(path)
    assert.equal(defs.length, 1)
    const {rt} = setup('fast', defs)
    const v1 = start(rt, {name: 'c', image: 'example.com/shop/api:v1'})
    const v2 = start(rt, {name: 'c', image: 'example.com/shop/api:v2'})
    const ready: Probe = {httpGet: {path: '/ready', port: 8080}}
    assert.deepEqual(v1.probe(ready, START + 1000), {success: true})
    assert.deepEqual(v2.probe(ready, START + 1000), {success: false, message: 'HTTP probe failed with statuscode: 503'})
    assert.deepEqual(texts(rt, v2.podUid, 'c', START + 1000), ['listening on :8080'])
  })
  it('names the entry that is wrong', () => {
    const path = join(dir, 'bad.yaml')
    writeFileSync(path, '- name: Foo\n')
    assert.throws(() => loadImageFile(path), /image 1 \(Foo\): invalid reference format/)
  })
})

describe('runtime: $(VAR) expansion', () => {
  const vars = new Map([['A', 'x']])
  const cases: [string, string][] = [
    ['$(A)-$(B)', 'x-$(B)'],
    ['$$(A)', '$(A)'],
    ['plain $A', 'plain $A'],
  ]
  for (const [input, want] of cases) it(`expands ${input}`, () => assert.equal(expandK8sVars(input, vars), want))
})

describe('runtime: endless loops', () => {
  const cases: [string, string][] = [
    ['a steady loop', 'while true; do echo hi; sleep 5; done'],
    ['a counter loop', 'i=0; while true; do echo "$i"; i=$((i+1)); sleep 1; done'],
    ['an until loop waiting for a file', 'until [ -f /tmp/go ]; do sleep 1; done; echo go'],
  ]
  for (const [name, script] of cases) {
    it(`${name} has no exit plan`, () => {
      const {rt} = setup()
      assert.equal(start(rt, {name: 'c', image: 'busybox', command: ['sh', '-c', script]}).exit, undefined)
    })
  }
  it('a long but finite loop still gets its exit plan', () => {
    const {rt} = setup()
    const inst = start(rt, {
      name: 'c',
      image: 'busybox',
      command: ['sh', '-c', 'for i in $(seq 1 200); do echo $i; sleep 1; done; exit 5'],
    })
    assert.deepEqual(inst.exit && {code: inst.exit.code, s: Math.floor(inst.exit.afterMs / 1000)}, {code: 5, s: 200})
  })
})
