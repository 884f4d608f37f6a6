// create-golden.test.ts compares `mkctl create <kind>` with the real kubectl offline: no cluster at all
// (KUBECONFIG=/dev/null), `--dry-run=client` output in every format, and the client-side errors (missing flags,
// bad values, name counts). Both binaries are spawned with the same argv in a fixture folder; stdout, stderr and
// the exit code must be equal, after kubectl's name is replaced by mkctl's and klog headers are scrubbed.
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {kubectlAvailable, run, type RunResult} from '../../helpers/daemon.js'

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'mkctl.js')

/** CASES are argv lists run both ways in the fixture folder (files/a.txt, files/dir/{b,bin.dat}, files/env). */
const CASES: string[][] = [
  ['create', 'deployment', 'x', '--image=nginx', '--dry-run=client', '-o', 'yaml'],
  ['create', 'deploy', 'x', '--image=nginx', '--dry-run=client', '-o', 'json', '--save-config', '-n', 'foo'],
  ['create', 'deployment', 'x', '--image=busybox', '--dry-run=client', '--', 'sh', '-c', 'date'],
  ['create', 'deployment', 'x', '--image=busybox', '--dry-run=client', '-o', 'yaml', '--', 'sh', '-c', 'date'],
  ['create', 'deployment', 'x'],
  ['create', 'deployment', 'a', 'b', '--image=x'],
  ['create', 'deployment', 'x', '--image=a,b', '--image=c', '--port=80', '-r', '3', '--dry-run=client', '-o', 'yaml'],
  ['create', 'deployment', 'x', '--image=nginx', '--dry-run=bogus'],
  ['create', 'deployment', 'x', '--image=nginx', '-o', 'bogus', '--dry-run=client'],
  ['create', 'deployment', 'x', '--image=a', '--image=b', '--dry-run=client', '--', 'cmd'],
  ['create', 'deployment', 'x', '--image=nginx', '--dry-run', '-o', 'name'],
  ['create', 'deployment', 'x', '--image=nginx', '--dry-run=client', '--validate=foo'],
  [
    'create',
    'deployment',
    'x',
    '--image=nginx',
    '--dry-run=client',
    '-o',
    'jsonpath={.spec.template.spec.containers[0].name}',
  ],
  ['create', 'deployment', 'x', '--image=registry.k8s.io/pause:3.9', '--dry-run=client', '-o', 'yaml'],
  ['create', 'deployment'],
  ['create', 'service', 'clusterip', 's', '--tcp=80:8080,443', '--dry-run=client', '-o', 'json'],
  ['create', 'service', 'clusterip', 's', '--tcp=80:8080', '--tcp=90', '--dry-run=client', '-o', 'yaml'],
  ['create', 'service', 'clusterip', 's', '--clusterip=None', '--dry-run=client', '-o', 'yaml'],
  ['create', 'service', 'clusterip', 's', '--dry-run=client'],
  ['create', 'service', 'clusterip', 's', '--tcp=abc', '--dry-run=client'],
  ['create', 'service', 'clusterip', 's', '--tcp=80:-1', '--dry-run=client'],
  ['create', 'service', 'clusterip', 's', '--tcp=80:a_b', '--dry-run=client'],
  ['create', 'service', 'clusterip', 's', '--tcp=70000', '--dry-run=client'],
  ['create', 'service', 'nodeport', 's', '--clusterip=None', '--tcp=80', '--dry-run=client'],
  ['create', 'service', 'nodeport', 'np', '--tcp=80', '--node-port=30080', '--dry-run=client', '-o', 'yaml'],
  ['create', 'service', 'loadbalancer', 'lb', '--tcp=80:http', '--dry-run=client', '-o', 'yaml'],
  ['create', 'service', 'externalname', 'e', '--external-name=foo.com', '--dry-run=client', '-o', 'json'],
  ['create', 'service', 'externalname', 'e', '--external-name=A_B', '--dry-run=client'],
  ['create', 'service', 'externalname', 'e'],
  ['create', 'configmap', 'c1', '--from-literal=a=b', '--from-literal=c=d=e', '--dry-run=client', '-o', 'yaml'],
  ['create', 'cm', 'c1', '--from-file=files/a.txt', '--from-file=k=files/a.txt', '--dry-run=client', '-o', 'yaml'],
  ['create', 'cm', 'c1', '--from-file=files/dir', '--dry-run=client', '-o', 'json'],
  ['create', 'cm', 'c1', '--from-env-file=files/env', '--dry-run=client', '-o', 'yaml'],
  ['create', 'cm', 'c1', '--from-env-file=files/env', '--from-literal=a=b', '--dry-run=client'],
  ['create', 'cm', 'c1', '--from-literal=a=b', '--append-hash', '--dry-run=client', '-o', 'name'],
  ['create', 'cm', 'c1', '--from-literal=a=b', '--from-literal=a=c', '--dry-run=client'],
  ['create', 'cm', 'c1', '--from-literal=a', '--dry-run=client'],
  ['create', 'cm', 'c1', '--from-literal=a_b/c=1', '--dry-run=client'],
  ['create', 'cm', 'c1', '--from-file=nope.txt', '--dry-run=client'],
  ['create', 'cm', 'c1', '--from-file=k=files/dir', '--dry-run=client'],
  ['create', 'cm', 'c1', '--dry-run=client', '-o', 'yaml'],
  ['create', 'secret', 'generic', 's1', '--from-literal=a=b', '--type=foo', '--dry-run=client', '-o', 'json'],
  [
    'create',
    'secret',
    'generic',
    's1',
    '--from-file=files/dir',
    '--from-literal=x=y',
    '--dry-run=client',
    '-o',
    'yaml',
  ],
  ['create', 'secret', 'generic', 's1', '--from-env-file=files/env', '--append-hash', '--dry-run=client', '-o', 'yaml'],
  ['create', 'secret', 'generic', 's1', '--from-literal=a=b', '--from-literal=a=c', '--dry-run=client'],
  [
    'create',
    'secret',
    'docker-registry',
    'd',
    '--docker-username=u',
    '--docker-password=p',
    '--docker-email=e@x',
    '--dry-run=client',
    '-o',
    'yaml',
  ],
  ['create', 'secret', 'docker-registry', 'd', '--docker-username=u', '--dry-run=client'],
  ['create', 'secret', 'docker-registry', 'd', '--from-file=files/a.txt', '--dry-run=client', '-o', 'yaml'],
  ['create', 'secret', 'tls', 't', '--cert=nope', '--key=nope', '--dry-run=client'],
  ['create', 'secret', 'tls', 't', '--dry-run=client'],
  ['create', 'namespace', 'n', '--dry-run=client', '-o', 'yaml'],
  ['create', 'ns', 'n', '--dry-run=client', '-o', 'json'],
  ['create', 'ns', '--dry-run=client'],
  ['create', 'sa', 'sa1', '--dry-run=client', '-o', 'yaml', '-n', 'kube-system'],
  ['create', 'serviceaccount', 'sa1', '--dry-run=client', '-o', 'json'],
  ['create', 'job', 'j', '--image=busybox', '--dry-run=client', '-o', 'yaml', '--', 'echo', 'hi'],
  ['create', 'job', 'j', '--dry-run=client'],
  ['create', 'job', 'j', '--image=busybox', '--from=cronjob/x', '--dry-run=client'],
  [
    'create',
    'cronjob',
    'c',
    '--image=busybox',
    '--schedule=*/1 * * * *',
    '--dry-run=client',
    '-o',
    'yaml',
    '--',
    'date',
  ],
  [
    'create',
    'cronjob',
    'c',
    '--image=busybox',
    '--schedule=@hourly',
    '--restart=Never',
    '--dry-run=client',
    '-o',
    'json',
  ],
  ['create', 'cronjob', 'c', '--image=x'],
  ['create', 'cronjob', 'c'],
  [
    'create',
    'rolebinding',
    'rb',
    '--role=r',
    '--user=u',
    '--group=g',
    '--serviceaccount=ns:sa',
    '--dry-run=client',
    '-o',
    'yaml',
  ],
  ['create', 'rolebinding', 'rb', '--clusterrole=r', '--serviceaccount=bad', '--dry-run=client'],
  ['create', 'rolebinding', 'rb', '--dry-run=client'],
  ['create', 'rolebinding', 'rb', '--role=a', '--clusterrole=b', '--dry-run=client'],
  [
    'create',
    'clusterrolebinding',
    'crb',
    '--clusterrole=view',
    '--user=a',
    '--user=b',
    '--dry-run=client',
    '-o',
    'yaml',
  ],
  ['create', 'clusterrolebinding', 'c'],
  ['create', 'clusterrole', 'cr', '--aggregation-rule=a=b,c=d', '--dry-run=client', '-o', 'yaml'],
  ['create', 'clusterrole', 'cr', '--aggregation-rule=a=b', '--verb=get', '--dry-run=client'],
  ['create', 'clusterrole', 'cr', '--dry-run=client'],
  [
    'create',
    'quota',
    'q',
    '--hard=cpu=1,pods=2,memory=1Gi,requests.cpu=500m',
    '--scopes=BestEffort,NotTerminating',
    '--dry-run=client',
    '-o',
    'yaml',
  ],
  ['create', 'quota', 'q', '--hard=cpu', '--dry-run=client'],
  ['create', 'quota', 'q', '--hard=cpu=abc', '--dry-run=client'],
  ['create', 'quota', 'q', '--scopes=a,,b', '--dry-run=client'],
  ['create', 'quota', 'q', '--dry-run=client', '-o', 'json'],
  ['create', 'priorityclass', 'pc', '--value=10', '--description=d', '--dry-run=client', '-o', 'json'],
  [
    'create',
    'pc',
    'pc',
    '--value=10',
    '--global-default',
    '--preemption-policy=Never',
    '--dry-run=client',
    '-o',
    'yaml',
  ],
  ['create', 'pdb', 'p', '--selector=app=a', '--min-available=50%', '--dry-run=client', '-o', 'json'],
  ['create', 'pdb', 'p', '--selector=app=a,tier!=x', '--max-unavailable=2', '--dry-run=client', '-o', 'yaml'],
  ['create', 'pdb', 'p', '--selector=app in (a,b)', '--max-unavailable=2', '--dry-run=client', '-o', 'yaml'],
  ['create', 'pdb', 'p', '--min-available=1', '--dry-run=client'],
  ['create', 'pdb', 'p', '--selector=a=b', '--dry-run=client'],
  ['create', 'pdb', 'p', '--selector=a=b', '--min-available=1', '--max-unavailable=1', '--dry-run=client'],
  ['create', 'pdb', 'p', '--selector=a=b', '--min-available=x', '--dry-run=client'],
  [
    'create',
    'ingress',
    'i',
    '--rule=foo.com/bar*=svc:80,tls=sec',
    '--rule=/x=s2:http',
    '--class=nginx',
    '--default-backend=d:80',
    '--annotation=a=b',
    '--dry-run=client',
    '-o',
    'json',
  ],
  [
    'create',
    'ingress',
    'i',
    '--rule=foo.com/=svc:https,tls',
    '--rule=foo.com/path/subpath*=othersvc:8080',
    '--dry-run=client',
    '-o',
    'yaml',
  ],
  [
    'create',
    'ingress',
    'i',
    '--rule=a.com/*=s:1,tls=x',
    '--rule=b.com/*=s:1,tls=x',
    '--rule=c.com/=s:1,tls',
    '--dry-run=client',
    '-o',
    'yaml',
  ],
  ['create', 'ingress', 'i', '--dry-run=client'],
  ['create', 'ingress', 'i', '--rule=bad', '--dry-run=client'],
  ['create', 'ingress', 'i', '--default-backend=x', '--dry-run=client'],
  ['create', 'ingress', 'i', '--annotation=x', '--rule=a.com/=s:1', '--dry-run=client'],
]

/** normalize replaces kubectl's name and the klog header (time, pid), which differ between runs. */
export function normalizeOffline(r: RunResult, bin: 'kubectl' | 'mkctl'): RunResult {
  const fix = (s: string) => {
    let t = s.replace(/^([EWI])\d{4} [\d:.]+ +\d+ /gm, '$1<HDR> ')
    if (bin === 'kubectl') t = t.replace(/\bkubectl\b(?!\.kubernetes\.io)/g, 'mkctl')
    return t
  }
  return {stdout: fix(r.stdout), stderr: fix(r.stderr), code: r.code}
}

describe('create <kind> offline against kubectl', function () {
  this.timeout(60000)
  let dir = ''
  const env: Record<string, string> = {KUBECONFIG: '/dev/null', MKCTL_AUTOSTART: '0'}

  before(function () {
    if (!kubectlAvailable()) this.skip()
    dir = mkdtempSync(join(tmpdir(), 'mkctl-gen-'))
    env.MKCTL_HOME = dir
    mkdirSync(join(dir, 'files', 'dir'), {recursive: true})
    writeFileSync(join(dir, 'files', 'a.txt'), 'hello\n')
    writeFileSync(join(dir, 'files', 'dir', 'b'), 'x=1\n')
    writeFileSync(join(dir, 'files', 'dir', 'bin.dat'), Buffer.from([0xff, 0xfe]))
    writeFileSync(join(dir, 'files', 'env'), '# c\nA=1\n  B=two=2\nC\n\n')
  })
  after(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  for (const args of CASES) {
    it(args.join(' '), async () => {
      const [k, m] = await Promise.all([
        run('kubectl', args, {env, cwd: dir}),
        run(process.execPath, [BIN, ...args], {env, cwd: dir}),
      ])
      assert.deepEqual(normalizeOffline(m, 'mkctl'), normalizeOffline(k, 'kubectl'))
    })
  }
})
