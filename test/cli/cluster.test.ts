// cluster.test.ts drives the local-cluster lifecycle through the real CLI binary (bin/mkctl.js) with temporary
// MKCTL_HOME folders (never the user's): start, the files and kubeconfig it leaves (DESIGN §2), get through mkctl and
// through the real kubectl, status/list/logs, stop and resume with state, auto-start, several nodes, seeds, delete.
// Every daemon started here is stopped in after() hooks, by the pid in daemon.json if the CLI could not.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse as parseYaml} from 'yaml'
import {kubectlAvailable, run, type RunResult} from '../helpers/daemon.js'
import {ApiClient} from '../helpers/http.js'

const ROOT = join(import.meta.dirname, '..', '..')
const MKCTL = join(ROOT, 'bin', 'mkctl.js')
const hasKubectl = kubectlAvailable()

/** Home is one temporary MKCTL_HOME and the commands that run against it. */
interface Home {
  dir: string
  kubeconfig: string
  mkctl(args: string[], env?: Record<string, string>): Promise<RunResult>
  kubectl(args: string[]): Promise<RunResult>
  profile(name?: string): string
  daemon(name?: string): {pid: number; url: string; port: number} | undefined
  api(name?: string): ApiClient
}

const homes: string[] = []

function newHome(): Home {
  const dir = mkdtempSync(join(tmpdir(), 'mkctl-cluster-'))
  homes.push(dir)
  // KUBECONFIG and MKCTL_AUTOSTART from the caller's shell must not leak in: empty means unset for both programs.
  const env = {MKCTL_HOME: dir, HOME: dir, KUBECONFIG: '', MKCTL_AUTOSTART: '', KUBECACHEDIR: join(dir, 'kube-cache')}
  const profile = (name = 'mkctl') => join(dir, 'profiles', name)
  const h: Home = {
    dir,
    kubeconfig: join(dir, 'kubeconfig'),
    mkctl: (args, extra = {}) => run(process.execPath, [MKCTL, ...args], {env: {...env, ...extra}}),
    kubectl: (args) => run('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), ...args], {env}),
    profile,
    daemon(name = 'mkctl') {
      const f = join(profile(name), 'daemon.json')
      return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined
    },
    api(name = 'mkctl') {
      const d = h.daemon(name)
      assert.ok(d, `profile ${name} is not running`)
      const ca = readFileSync(join(profile(name), 'ca.crt'), 'utf8')
      const token = readFileSync(join(profile(name), 'token'), 'utf8').trim()
      return new ApiClient(d.url, ca, token)
    },
  }
  return h
}

/** alive tells whether a process runs; an exited daemon waiting for PID 1 to reap it (a zombie) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  const stat = `/proc/${pid}/stat`
  if (!existsSync('/proc/self/stat')) return true
  if (!existsSync(stat)) return false
  const text = readFileSync(stat, 'utf8')
  return !/^[ZX]/.test(text.slice(text.lastIndexOf(')') + 2))
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (alive(pid)) {
    if (Date.now() > deadline) return false
    await new Promise((r) => setTimeout(r, 20))
  }
  return true
}

/** killDaemons stops every daemon a home's profiles record, then removes the home. */
async function cleanupHome(dir: string): Promise<void> {
  const profiles = join(dir, 'profiles')
  if (existsSync(profiles)) {
    for (const p of readdirSync(profiles)) {
      const f = join(profiles, p, 'daemon.json')
      if (!existsSync(f)) continue
      let pid: number | undefined
      try {
        pid = JSON.parse(readFileSync(f, 'utf8')).pid
      } catch {
        continue
      }
      if (!pid || !alive(pid)) continue
      process.kill(pid, 'SIGTERM')
      if (!(await waitGone(pid, 3000))) process.kill(pid, 'SIGKILL')
    }
  }
  rmSync(dir, {recursive: true, force: true})
}

const mode = (f: string) => statSync(f).mode & 0o777

/** ageless blanks the AGE cells of a node table, which move on with the real clock between two commands. */
const ageless = (s: string) => s.replace(/ +\d+[smhd]\d*[smh]? +(v1\.)/g, '   <AGE>   $1')

function ok(r: RunResult, what: string): void {
  assert.equal(r.code, 0, `${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
}

describe('mkctl cluster (lifecycle through the binary)', function () {
  this.timeout(30_000)
  after(async () => {
    for (const dir of homes.splice(0)) await cleanupHome(dir)
  })

  describe('default profile', function () {
    let h: Home
    let port: number
    before(() => {
      h = newHome()
    })

    it('start creates the cluster, prints minikube-like lines and exits 0', async () => {
      const r = await h.mkctl(['cluster', 'start'])
      ok(r, 'cluster start')
      const lines = r.stdout.split('\n')
      assert.equal(lines[0], '* Starting cluster "mkctl" (1 node, 2 CPUs and 4096 MiB per node, realistic timing)...')
      assert.match(lines[1]!, /^\* API server ready at https:\/\/127\.0\.0\.1:\d+ in \d+ ms\.$/)
      assert.equal(
        lines[2],
        '* Done! mkctl is now configured to use "mkctl" cluster and "default" namespace by default',
      )
      assert.equal(lines.length, 4)
      assert.equal(r.stderr, '')
    })

    it('leaves the profile files, private where they hold secrets', () => {
      for (const f of ['state.db', 'daemon.json', 'ca.crt', 'ca.key', 'token', 'daemon.log', 'config.json']) {
        assert.ok(existsSync(join(h.profile(), f)), `${f} is missing`)
      }
      for (const f of [join(h.profile(), 'ca.key'), join(h.profile(), 'token'), h.kubeconfig])
        assert.equal(mode(f), 0o600, f)
      for (const d of [h.dir, join(h.dir, 'profiles'), h.profile()]) assert.equal(mode(d), 0o700, d)
    })

    it('writes a kubeconfig with context mkctl: https server on 127.0.0.1, CA data and the token', () => {
      const kc = parseYaml(readFileSync(h.kubeconfig, 'utf8'))
      const d = h.daemon()!
      port = d.port
      assert.equal(kc['current-context'], 'mkctl')
      assert.deepEqual(kc.contexts, [{name: 'mkctl', context: {cluster: 'mkctl', user: 'mkctl', namespace: 'default'}}])
      const cluster = kc.clusters.find((c: any) => c.name === 'mkctl').cluster
      assert.equal(cluster.server, `https://127.0.0.1:${port}`)
      assert.equal(cluster.server, d.url)
      assert.equal(
        Buffer.from(cluster['certificate-authority-data'], 'base64').toString(),
        readFileSync(join(h.profile(), 'ca.crt'), 'utf8'),
      )
      const user = kc.users.find((u: any) => u.name === 'mkctl').user
      assert.equal(user.token, readFileSync(join(h.profile(), 'token'), 'utf8').trim())
      assert.match(user.token, /^[0-9a-f]{32,}$/)
    })

    it('the daemon listens on 127.0.0.1 only', function () {
      assert.match(h.daemon()!.url, /^https:\/\/127\.0\.0\.1:\d+$/)
      if (!existsSync('/proc/net/tcp')) this.skip()
      // /proc/net/tcp: local_address is hex IP (little-endian) : hex port; state 0A is LISTEN.
      const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
      const listening = [
        ...readFileSync('/proc/net/tcp', 'utf8').matchAll(/^\s*\d+: ([0-9A-F]{8}):([0-9A-F]{4}) [0-9A-F:]+ 0A /gm),
      ]
        .filter((m) => m[2] === hexPort)
        .map((m) => m[1])
      assert.deepEqual(listening, ['0100007F'])
      const six = existsSync('/proc/net/tcp6') ? readFileSync('/proc/net/tcp6', 'utf8') : ''
      assert.ok(!new RegExp(`:${hexPort} [0-9A-F:]+ 0A `).test(six), 'the daemon also listens on IPv6')
    })

    it('mkctl get nodes prints the node table', async () => {
      const r = await h.mkctl(['get', 'nodes'])
      ok(r, 'get nodes')
      assert.match(
        r.stdout,
        /^NAME {4}STATUS {3}ROLES {11}AGE {3}VERSION\nmkctl {3}Ready {4}control-plane {3}\d+s +v1\.32\.\d+\n$/,
      )
      assert.equal(r.stderr, '')
    })

    it('the real kubectl with the kubeconfig prints the same table', async function () {
      if (!hasKubectl) this.skip()
      const [k, m] = await Promise.all([h.kubectl(['get', 'nodes']), h.mkctl(['get', 'nodes'])])
      ok(k, 'kubectl get nodes')
      assert.equal(ageless(m.stdout), ageless(k.stdout))
      assert.equal(k.stderr, '')
    })

    it('status prints the components and exits 0', async () => {
      const r = await h.mkctl(['cluster', 'status'])
      assert.equal(r.code, 0)
      assert.equal(
        r.stdout,
        'mkctl\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n',
      )
    })

    it('list shows the profile running', async () => {
      const r = await h.mkctl(['cluster', 'list'])
      ok(r, 'cluster list')
      const [head, row, ...rest] = r.stdout.split('\n')
      assert.deepEqual(head!.split(/ {2,}/), ['PROFILE', 'STATUS', 'NODES', 'CPUS', 'MEMORY', 'TIMING', 'API SERVER'])
      assert.deepEqual(row!.split(/ {2,}/), [
        'mkctl',
        'Running',
        '1',
        '2',
        '4096MiB',
        'realistic',
        `https://127.0.0.1:${port}`,
      ])
      assert.deepEqual(rest, [''])
    })

    it('a second start says it is already running', async () => {
      const r = await h.mkctl(['cluster', 'start'])
      ok(r, 'second start')
      assert.equal(
        r.stdout,
        '* The "mkctl" cluster is already running.\n* Done! mkctl is now configured to use "mkctl" cluster and "default" namespace by default\n',
      )
      assert.equal(h.daemon()!.port, port)
    })

    it('stop ends the daemon and status then exits 7', async () => {
      const api = h.api()
      const made = await api.request('POST', '/api/v1/namespaces/default/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {name: 'keep'},
        data: {a: 'b'},
      })
      assert.equal(made.status, 201, made.text)
      const pid = h.daemon()!.pid
      const r = await h.mkctl(['cluster', 'stop'])
      ok(r, 'cluster stop')
      assert.equal(r.stdout, '* Stopping cluster "mkctl" ...\n* 1 node stopped.\n')
      assert.equal(alive(pid), false)
      assert.equal(h.daemon(), undefined)
      const s = await h.mkctl(['cluster', 'status'])
      assert.equal(s.code, 7)
      assert.equal(
        s.stdout,
        'mkctl\ntype: Control Plane\nhost: Stopped\nkubelet: Stopped\napiserver: Stopped\nkubeconfig: Stopped\n',
      )
    })

    it("with MKCTL_AUTOSTART=0 a stopped cluster gives kubectl's connection-refused error", async () => {
      const r = await h.mkctl(['get', 'cm'], {MKCTL_AUTOSTART: '0'})
      assert.equal(r.code, 1)
      assert.equal(r.stdout, '')
      assert.equal(
        r.stderr,
        `The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?\n`,
      )
      if (hasKubectl) {
        const k = await h.kubectl(['get', 'cm'])
        assert.deepEqual({code: k.code, stderr: k.stderr}, {code: r.code, stderr: r.stderr})
      }
      assert.equal(h.daemon(), undefined)
    })

    it('auto-start: mkctl get starts the stopped cluster with one stderr line, state kept', async () => {
      const r = await h.mkctl(['get', 'cm'])
      ok(r, 'get cm (auto-start)')
      assert.equal(r.stderr, '* Starting local cluster "mkctl" (mkctl cluster start -p mkctl)...\n')
      assert.match(r.stdout, /^NAME +DATA +AGE\n(.*\n)*keep +1 +\S+\n/)
      assert.equal(h.daemon()!.port, port, 'the port is kept across restarts')
    })

    it('stop then start resumes the cluster with its state', async () => {
      ok(await h.mkctl(['cluster', 'stop']), 'cluster stop')
      const r = await h.mkctl(['cluster', 'start'])
      ok(r, 'cluster start (resume)')
      assert.match(
        r.stdout,
        /^\* Restarting existing cluster "mkctl" \(1 node, 2 CPUs and 4096 MiB per node, realistic timing\)\.\.\.\n/,
      )
      const cm = await h.api().request('GET', '/api/v1/namespaces/default/configmaps/keep')
      assert.equal(cm.status, 200)
      assert.deepEqual(cm.json.data, {a: 'b'})
    })

    it('logs prints the daemon log, --tail the last lines', async () => {
      const r = await h.mkctl(['cluster', 'logs'])
      ok(r, 'cluster logs')
      const listening = r.stdout.split('\n').filter((l) => l.includes(`listening on https://127.0.0.1:${port}`))
      assert.equal(listening.length, 3, r.stdout)
      const t = await h.mkctl(['cluster', 'logs', '--tail', '1'])
      ok(t, 'cluster logs --tail 1')
      assert.equal(t.stdout, r.stdout.split('\n').slice(-2).join('\n'))
      assert.equal(t.stdout.split('\n').length, 2)
    })

    it('delete stops the daemon and removes the folder and the kubeconfig entries', async () => {
      const pid = h.daemon()!.pid
      const r = await h.mkctl(['cluster', 'delete'])
      ok(r, 'cluster delete')
      assert.equal(r.stdout, '* Deleting "mkctl" ...\n* Removed all traces of the "mkctl" cluster.\n')
      assert.equal(alive(pid), false)
      assert.equal(existsSync(h.profile()), false)
      const kc = parseYaml(readFileSync(h.kubeconfig, 'utf8'))
      for (const list of ['clusters', 'users', 'contexts'])
        assert.ok(!(kc[list] ?? []).some((x: any) => x.name === 'mkctl'), list)
      assert.equal(kc['current-context'] ?? '', '')
      const s = await h.mkctl(['cluster', 'status'])
      assert.deepEqual(s, {
        stdout: '',
        stderr: '* Profile "mkctl" not found. Run "mkctl cluster list" to view all profiles.\n',
        code: 85,
      })
    })
  })

  describe('fresh MKCTL_HOME without a kubeconfig', function () {
    it('mkctl get nodes creates and starts the default profile', async () => {
      const h = newHome()
      const r = await h.mkctl(['get', 'nodes'])
      ok(r, 'get nodes on a fresh home')
      assert.equal(r.stderr, '* Starting local cluster "mkctl" (mkctl cluster start -p mkctl)...\n')
      assert.match(r.stdout, /^NAME +STATUS +ROLES +AGE +VERSION\nmkctl +Ready +control-plane +\S+ +v1\.32\.\d+\n$/)
      const kc = parseYaml(readFileSync(h.kubeconfig, 'utf8'))
      assert.equal(kc['current-context'], 'mkctl')
      assert.ok(h.daemon())
      ok(await h.mkctl(['cluster', 'stop']), 'cluster stop')
    })
  })

  describe('several nodes and seeds', function () {
    const start = (h: Home) =>
      h.mkctl(['cluster', 'start', '-p', 'multi', '--nodes', '3', '--seed', '7', '--timing', 'fast'])
    const nodeUids = async (h: Home) => {
      const r = await h.api('multi').request('GET', '/api/v1/nodes')
      return r.json.items.map((n: any) => `${n.metadata.name}=${n.metadata.uid}`)
    }

    it('--nodes 3 makes nodes named after the profile; the same --seed on two homes gives the same uids', async () => {
      const [a, b] = [newHome(), newHome()]
      const [ra, rb] = await Promise.all([start(a), start(b)])
      ok(ra, 'start -p multi (a)')
      ok(rb, 'start -p multi (b)')
      assert.match(
        ra.stdout,
        /^\* Starting cluster "multi" \(3 nodes, 2 CPUs and 4096 MiB per node, fast timing\)\.\.\.\n/,
      )
      const g = await a.mkctl(['get', 'nodes', '-o', 'name'])
      ok(g, 'get nodes')
      assert.equal(g.stdout, 'node/multi\nnode/multi-m02\nnode/multi-m03\n')
      const [ua, ub] = await Promise.all([nodeUids(a), nodeUids(b)])
      assert.equal(ua.length, 3)
      assert.deepEqual(ua, ub)
      const kc = parseYaml(readFileSync(a.kubeconfig, 'utf8'))
      assert.equal(kc['current-context'], 'multi')
      const s = await a.mkctl(['cluster', 'status', '-p', 'multi'])
      assert.equal(s.code, 0)
      assert.deepEqual(
        s.stdout.split('\n\n').map((block) => block.split('\n')[0]),
        ['multi', 'multi-m02', 'multi-m03'],
      )
      const list = await a.mkctl(['cluster', 'list'])
      assert.deepEqual(list.stdout.split('\n')[1]!.split(/ {2,}/).slice(0, 6), [
        'multi',
        'Running',
        '3',
        '2',
        '4096MiB',
        'fast',
      ])
      const [da, db] = await Promise.all([
        a.mkctl(['cluster', 'delete', '-p', 'multi']),
        b.mkctl(['cluster', 'delete', '-p', 'multi']),
      ])
      ok(da, 'delete a')
      ok(db, 'delete b')
    })
  })

  describe('virtual clock and node operations', function () {
    this.timeout(60_000)
    it('time shows and advances the cluster clock; node add, stop, start, delete change the nodes', async () => {
      const h = newHome()
      ok(await h.mkctl(['cluster', 'start', '-p', 'ops', '--nodes', '2', '--timing', 'fast']), 'start')
      const t0 = await h.mkctl(['cluster', 'time', '-p', 'ops'])
      ok(t0, 'time')
      assert.match(t0.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/)
      const adv = await h.mkctl(['cluster', 'time', 'advance', '90s', '-p', 'ops'])
      ok(adv, 'time advance')
      const now = /it is now (\S+Z)\.$/m.exec(adv.stdout)![1]!
      assert.ok(Date.parse(now) - Date.parse(t0.stdout.trim()) >= 90_000, `${t0.stdout.trim()} -> ${now}`)
      assert.match(adv.stdout, /^\* Advanced the clock of cluster "ops" by 1m30s; it is now /)
      const t1 = await h.mkctl(['cluster', 'time', '-p', 'ops'])
      assert.match(t1.stderr, /^\* The cluster clock runs 1m30s ahead of real time\.\n$/)
      const bad = await h.mkctl(['cluster', 'time', 'advance', 'soon', '-p', 'ops'])
      assert.equal(bad.code, 1)
      assert.equal(bad.stderr, 'error: invalid duration "soon": use a duration like 90s, 10m or 1h30m\n')

      const add = await h.mkctl(['cluster', 'node', 'add', '-p', 'ops'])
      ok(add, 'node add')
      assert.equal(add.stdout, '* Adding a node to cluster "ops"\n* Successfully added ops-m03 to ops!\n')
      const list = await h.mkctl(['cluster', 'node', 'list', '-p', 'ops'])
      assert.equal(list.stdout, 'ops\t192.168.49.2\nops-m02\t192.168.49.3\nops-m03\t192.168.49.4\n')
      ok(await h.mkctl(['cluster', 'node', 'stop', 'ops-m02', '-p', 'ops']), 'node stop')
      // The node lifecycle controller notices the silent kubelet after 40 s of cluster time.
      ok(await h.mkctl(['cluster', 'time', 'advance', '45s', '-p', 'ops']), 'advance')
      const nodes = await h.mkctl(['get', 'nodes', '--no-headers'])
      assert.match(nodes.stdout, /^ops-m02\s+NotReady\s/m)
      assert.match(
        (await h.mkctl(['cluster', 'node', 'list', '-p', 'ops'])).stdout,
        /^ops-m02\t192\.168\.49\.3\t\(stopped\)$/m,
      )
      ok(await h.mkctl(['cluster', 'node', 'start', 'ops-m02', '-p', 'ops']), 'node start')
      ok(await h.mkctl(['cluster', 'time', 'advance', '10s', '-p', 'ops']), 'advance')
      assert.match((await h.mkctl(['get', 'nodes', '--no-headers'])).stdout, /^ops-m02\s+Ready\s/m)
      const del = await h.mkctl(['cluster', 'node', 'delete', 'ops-m03', '-p', 'ops'])
      ok(del, 'node delete')
      assert.equal((await h.mkctl(['get', 'nodes', '-o', 'name'])).stdout, 'node/ops\nnode/ops-m02\n')
      const missing = await h.mkctl(['cluster', 'node', 'stop', 'nope', '-p', 'ops'])
      assert.equal(missing.code, 1)
      assert.equal(missing.stderr, 'error: nodes "nope" not found\n')
      ok(await h.mkctl(['cluster', 'delete', '-p', 'ops']), 'delete')
      const gone = await h.mkctl(['cluster', 'time', '-p', 'ops'])
      assert.equal(gone.code, 85)
    })
  })

  describe('addons and service URLs', function () {
    it('addons list/enable/disable ingress; cluster service --url serves a NodePort service and the ingress from the host', async function () {
      if (!hasKubectl) this.skip()
      const h = newHome()
      ok(await h.mkctl(['cluster', 'start', '-p', 'web', '--timing', 'fast']), 'start')
      const env = {MKCTL_PROFILE: 'web'}
      const list = await h.mkctl(['cluster', 'addons', 'list', '-p', 'web'], env)
      ok(list, 'addons list')
      assert.match(list.stdout, /^\| ingress +\| web +\| disabled +\| Kubernetes +\|$/m)
      assert.match(list.stdout, /^\| storage-provisioner +\| web +\| enabled +\| minikube +\|$/m)
      const en = await h.mkctl(['cluster', 'addons', 'enable', 'ingress', '-p', 'web'])
      ok(en, 'addons enable')
      assert.match(
        en.stdout,
        /^\* ingress is an addon maintained by Kubernetes\.\n {2}- Using image registry\.k8s\.io\/ingress-nginx\/controller:v1\.12\.1\n/,
      )
      assert.match(en.stdout, /\* The 'ingress' addon is enabled\n$/)
      ok(await h.kubectl(['create', 'deployment', 'web', '--image=nginx:1.27']), 'create deployment')
      ok(await h.kubectl(['expose', 'deployment', 'web', '--port=80', '--type=NodePort']), 'expose')
      ok(await h.kubectl(['create', 'ingress', 'web', '--rule=web.local/*=web:80']), 'create ingress')
      ok(await h.mkctl(['cluster', 'time', 'advance', '20s', '-p', 'web']), 'advance')

      const svc = await h.mkctl(['cluster', 'service', 'web', '--url', '-p', 'web'])
      ok(svc, 'service --url')
      assert.match(svc.stdout, /^http:\/\/127\.0\.0\.1:\d+\n$/)
      const page = await fetch(svc.stdout.trim())
      assert.equal(page.status, 200)
      assert.match(await page.text(), /Welcome to nginx!/)
      const table = await h.mkctl(['cluster', 'service', 'web', '-p', 'web'])
      assert.match(table.stdout, /\| default +\| web +\| 80 +\| http:\/\/127\.0\.0\.1:\d+ \|/)

      const ing = await h.mkctl([
        'cluster',
        'service',
        'ingress-nginx-controller',
        '-n',
        'ingress-nginx',
        '--url',
        '-p',
        'web',
      ])
      ok(ing, 'ingress service --url')
      const [httpUrl, httpsUrl] = ing.stdout.trim().split('\n')
      assert.match(httpUrl!, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.match(httpsUrl!, /^https:\/\/127\.0\.0\.1:\d+$/)
      const viaIngress = await run('curl', [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-H',
        'Host: web.local',
        httpUrl!,
      ])
      if (viaIngress.code === 0) assert.equal(viaIngress.stdout, '200')

      const tr = await h.mkctl(['cluster', 'trace', 'http://web.local/', '-p', 'web'])
      ok(tr, 'trace')
      assert.match(tr.stdout, /^\* GET http:\/\/web\.local\/ from the host\n/)
      assert.match(tr.stdout, /^ +7\. ingress +ingress default\/web rule web\.local\/ Prefix → service web port 80$/m)
      assert.match(tr.stdout, /^\* Answer: 200, 615 bytes, from pod default\/web-\S+ \(container nginx\)$/m)
      const lost = await h.mkctl(['cluster', 'trace', 'http://ghost.local/', '-p', 'web'])
      assert.equal(lost.code, 0)
      assert.match(lost.stdout, /no Ingress rule matches host ghost\.local/)
      const missing = await h.mkctl(['cluster', 'service', 'nope', '-p', 'web'])
      assert.equal(missing.code, 85)
      assert.match(
        missing.stderr,
        /^X Exiting due to SVC_NOT_FOUND: Service 'nope' was not found in 'default' namespace\./,
      )
      const clusterIP = await h.mkctl(['cluster', 'service', 'kubernetes', '-p', 'web'])
      assert.equal(clusterIP.code, 84)
      // tunnel: a LoadBalancer service gets EXTERNAL-IP 127.0.0.1 and a host URL while the tunnel runs.
      ok(
        await h.kubectl(['expose', 'deployment', 'web', '--name=web-lb', '--port=80', '--type=LoadBalancer']),
        'expose lb',
      )
      assert.match((await h.kubectl(['get', 'svc', 'web-lb'])).stdout, /web-lb\s+LoadBalancer\s+\S+\s+<pending>/)
      const child = spawn(process.execPath, [MKCTL, 'cluster', 'tunnel', '-p', 'web'], {
        env: {...process.env, MKCTL_HOME: h.dir, HOME: h.dir, KUBECONFIG: '', MKCTL_AUTOSTART: ''},
      })
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      const exited = new Promise<number | null>((r) => child.on('close', r))
      for (let i = 0; i < 200 && !out.includes('Tunnel successfully started'); i++)
        await new Promise((r) => setTimeout(r, 50))
      assert.match(
        out,
        /^\* Starting tunnel for service web-lb\.\n {2}- default\/web-lb is reachable at (http:\/\/127\.0\.0\.1:\d+)\n/m,
      )
      const lbUrl = /web-lb is reachable at (\S+)/.exec(out)![1]!
      assert.match(
        (await h.kubectl(['get', 'svc', 'web-lb'])).stdout,
        /web-lb\s+LoadBalancer\s+\S+\s+127\.0\.0\.1\s+80:/,
      )
      assert.equal((await fetch(lbUrl)).status, 200)
      child.kill('SIGINT')
      assert.equal(await exited, 0)
      assert.match(out, /\* Stopped tunnel\n$/)
      assert.match((await h.kubectl(['get', 'svc', 'web-lb'])).stdout, /web-lb\s+LoadBalancer\s+\S+\s+<pending>/)
      ok(await h.mkctl(['cluster', 'addons', 'disable', 'ingress', '-p', 'web']), 'disable')
      assert.match(
        (await h.mkctl(['cluster', 'addons', 'list', '-p', 'web'])).stdout,
        /^\| ingress +\| web +\| disabled /m,
      )
      ok(await h.mkctl(['cluster', 'delete', '-p', 'web']), 'delete')
    })
  })
})
