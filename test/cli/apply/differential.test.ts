// Differential tests for create -f, apply and delete: each scenario runs once with the real kubectl against one
// fresh in-process daemon and once with mkctl against another; stdout, stderr and the exit code of every step must
// be identical (kubectl's own name in its texts replaced by mkctl's).
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {kubectlAvailable, run, startTestDaemon, type RunResult, type TestDaemon} from '../../helpers/daemon.js'
import {ensureBuilt} from '../../helpers/build.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')

/** Step is one command of a scenario; files are written (relative to the working directory) before it runs. */
export interface Step {
  args: string[]
  input?: string
  files?: Record<string, string>
}

/** Scenario is a named list of steps run against a fresh cluster. */
export interface Scenario {
  name: string
  steps: Step[]
  /** skip names the daemon bug that makes kubectl's output wrong here. */
  skip?: string
  /** controllers runs the cluster's controllers (e.g. the garbage collector that ends a foreground deletion). */
  controllers?: boolean
}

// scrub replaces klog headers (time and pid differ between runs) with a placeholder.
function scrub(r: RunResult): RunResult {
  return {...r, stderr: r.stderr.replace(/^[IWE]\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ /gm, '<klog> ')}
}

function runner(t: TestDaemon, bin: 'kubectl' | 'mkctl', cwd: string) {
  const cache = join(t.home, 'cache')
  const env = {KUBECONFIG: t.kubeconfig, MKCTL_HOME: t.home, MKCTL_AUTOSTART: '0', HOME: t.home}
  return async (step: Step): Promise<RunResult> => {
    for (const [name, text] of Object.entries(step.files ?? {})) {
      mkdirSync(join(cwd, name, '..'), {recursive: true})
      writeFileSync(join(cwd, name), text)
    }
    const args = ['--kubeconfig', t.kubeconfig, '--cache-dir', cache, ...step.args]
    if (bin === 'kubectl') {
      const r = await run('kubectl', args, {input: step.input, env, cwd})
      const rename = (s: string) => s.replace(/\bkubectl\b(?!\.kubernetes\.io)/g, 'mkctl')
      return scrub({...r, stdout: rename(r.stdout), stderr: rename(r.stderr)})
    }
    return scrub(await run(process.execPath, [join(ROOT, 'bin', 'mkctl.js'), ...args], {input: step.input, env, cwd}))
  }
}

/** runScenarios registers one test per scenario comparing kubectl and mkctl step by step. */
export function runScenarios(title: string, scenarios: Scenario[]): void {
  describe(title, function () {
    this.timeout(60_000)
    before(function () {
      if (!kubectlAvailable()) this.skip()
      this.timeout(180_000)
      ensureBuilt()
    })
    for (const sc of scenarios) {
      const body = async () => {
        // Two still clusters (no controllers unless the scenario needs them), so both sides see exactly the objects
        // the scenario made: pods stay unscheduled, so deleting them needs no kubelet.
        const controllers = sc.controllers ?? false
        const [dk, dm] = await Promise.all([startTestDaemon({controllers}), startTestDaemon({controllers})])
        const dir = mkdtempSync(join(tmpdir(), 'mkctl-apply-'))
        try {
          mkdirSync(join(dir, 'k'))
          mkdirSync(join(dir, 'm'))
          const k = runner(dk, 'kubectl', join(dir, 'k'))
          const m = runner(dm, 'mkctl', join(dir, 'm'))
          for (const [i, step] of sc.steps.entries()) {
            const want = await k(step)
            const got = await m(step)
            assert.deepEqual(got, want, `step ${i + 1}: ${step.args.join(' ')}`)
          }
        } finally {
          await Promise.all([dk.stop(), dm.stop()])
          rmSync(dir, {recursive: true, force: true})
        }
      }
      if (sc.skip) it.skip(`${sc.name} (daemon: ${sc.skip})`, body)
      else it(sc.name, body)
    }
  })
}

const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  labels:
    app: web
data:
  a: "1"
---
apiVersion: v1
kind: Secret
metadata:
  name: sec
  labels:
    app: web
type: Opaque
data:
  pw: aHVudGVyMg==
`
const APP2 = APP.replace('replicas: 2', 'replicas: 3').replace('a: "1"', 'a: "2"\n  b: "3"')
const CM = (name: string, extra = '') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  labels:
    tier: cfg
data:
  k: v${extra}
`

runScenarios('apply -f (differential)', [
  {
    name: 'creates, then is unchanged, then configured',
    steps: [
      {args: ['apply', '-f', 'app.yaml'], files: {'app.yaml': APP}},
      {args: ['apply', '-f', 'app.yaml']},
      {args: ['apply', '-f', 'app.yaml'], files: {'app.yaml': APP2}},
      {args: ['apply', '-f', 'app.yaml']},
      {args: ['apply', 'view-last-applied', 'configmap', 'cfg']},
      {args: ['apply', 'view-last-applied', 'cm/cfg', '-o', 'json']},
    ],
  },
  {
    name: 'reads stdin',
    steps: [
      {args: ['apply', '-f', '-'], input: CM('one')},
      {args: ['apply', '-f', '-'], input: CM('one', '\n  k2: v2')},
    ],
  },
  {
    name: 'reads a directory, recursively with -R',
    steps: [
      {
        args: ['apply', '-f', 'dir'],
        files: {
          'dir/b.yaml': CM('b'),
          'dir/a.yml': CM('a'),
          'dir/x.txt': 'junk',
          'dir/sub/c.json': JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}}),
        },
      },
      {args: ['apply', '-R', '-f', 'dir']},
    ],
  },
  {
    name: 'a JSON List',
    steps: [
      {
        args: ['apply', '-f', 'list.json', '--validate=false'],
        files: {
          'list.json': JSON.stringify({
            apiVersion: 'v1',
            kind: 'List',
            items: [
              {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'l1'}},
              {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'l2'}},
            ],
          }),
        },
      },
    ],
  },
  {
    name: 'warns about a missing annotation',
    steps: [
      {args: ['create', '-f', 'cm.yaml'], files: {'cm.yaml': CM('plain')}},
      {args: ['apply', '-f', 'cm.yaml']},
      {args: ['apply', '-f', 'cm.yaml']},
    ],
  },
  {
    name: 'dry runs and output formats',
    steps: [
      {args: ['apply', '-f', 'cm.yaml', '--dry-run=client', '-o', 'yaml'], files: {'cm.yaml': CM('d1')}},
      {args: ['apply', '-f', 'cm.yaml', '--dry-run=client']},
      {args: ['apply', '-f', 'cm.yaml', '--dry-run=server']},
      {args: ['apply', '-f', 'cm.yaml', '-o', 'name']},
      {
        args: ['apply', '-f', 'two.yaml', '--dry-run=client', '-o', 'json'],
        files: {'two.yaml': CM('x1') + '---\n' + CM('x2')},
      },
    ],
  },
  {
    name: 'server-side apply',
    steps: [
      {args: ['apply', '--server-side', '-f', 'cm.yaml'], files: {'cm.yaml': CM('ssa')}},
      {args: ['apply', '--server-side', '-f', 'cm.yaml']},
    ],
  },
  {
    name: 'prunes objects no longer in the manifests',
    steps: [
      {args: ['apply', '-f', 'all.yaml'], files: {'all.yaml': CM('p1') + '---\n' + CM('p2')}},
      {args: ['apply', '-f', 'all.yaml', '--prune', '-l', 'tier=cfg'], files: {'all.yaml': CM('p1')}},
      {args: ['apply', '-f', 'all.yaml', '--prune']},
    ],
  },
  {
    name: 'errors',
    steps: [
      {args: ['apply', '-f', 'nope.yaml']},
      {args: ['apply']},
      {
        args: ['apply', '-f', 'bad.yaml'],
        files: {'bad.yaml': CM('ok1') + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: 1\n'},
      },
      {
        args: ['apply', '-f', 'unknown.yaml', '--validate=false'],
        files: {'unknown.yaml': 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: foo\n---\n' + CM('ok2')},
      },
      {args: ['apply', '-f', 'unknown.yaml']},
      {args: ['apply', '-f', 'badname.yaml'], files: {'badname.yaml': CM('Bad_Name')}},
      {args: ['apply', '-f', 'field.yaml'], files: {'field.yaml': CM('uf') + 'spec:\n  foo: 1\n'}},
      {
        args: ['apply', '-f', 'ns.yaml', '-n', 'other'],
        files: {'ns.yaml': CM('nsx').replace('metadata:\n', 'metadata:\n  namespace: default\n')},
      },
      {args: ['apply', '-f', 'cm.yaml', '--validate=bogus'], files: {'cm.yaml': CM('v')}},
    ],
  },
])

const POD = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: c
    image: busybox
    command: ["sleep", "3600"]
`
const DEPLOY3 = APP.split('---')[0].replace(
  'image: nginx:1.27',
  'image: nginx:1.28\n        env:\n        - name: A\n          value: "1"\n        - name: B\n          value: "2"',
)
const DEPLOY4 = DEPLOY3.replace('        - name: A\n          value: "1"\n', '').replace(
  '- containerPort: 80',
  '- containerPort: 8080',
)

runScenarios('apply -f, strategic merge (differential)', [
  {
    // Regression test: the daemon once rejected `$setElementOrder/...` and `$patch` under fieldValidation=Strict; a
    // real apiserver drops patch directives before strict decoding. kubectl and mkctl send byte-identical patches.
    name: 'strict field validation of a patch with directives',
    steps: [
      {args: ['apply', '-f', 'd.yaml'], files: {'d.yaml': DEPLOY3}},
      {args: ['apply', '-f', 'd.yaml'], files: {'d.yaml': DEPLOY4}},
      {args: ['apply', '-f', 'd.yaml']},
    ],
  },
  {
    name: 'container lists merged by name, removed fields deleted',
    steps: [
      {args: ['apply', '-f', 'd.yaml'], files: {'d.yaml': DEPLOY3}},
      {args: ['apply', '-f', 'd.yaml', '--validate=false'], files: {'d.yaml': DEPLOY4}},
      {args: ['apply', '-f', 'd.yaml', '--validate=false']},
      {args: ['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers}']},
      {args: ['apply', 'view-last-applied', 'deployment/web', '-o', 'json']},
      {args: ['apply', 'view-last-applied', '-f', 'd.yaml']},
    ],
  },
  {
    name: 'set-last-applied',
    steps: [
      {args: ['create', '-f', 'cm.yaml'], files: {'cm.yaml': CM('s1')}},
      {args: ['apply', 'set-last-applied', '-f', 'cm.yaml']},
      {args: ['apply', 'set-last-applied', '-f', 'cm.yaml', '--create-annotation']},
      {args: ['apply', 'view-last-applied', 'cm', 's1']},
    ],
  },
])

runScenarios('create -f (differential)', [
  {
    name: 'creates, then reports AlreadyExists per object',
    steps: [
      {args: ['create', '-f', 'app.yaml'], files: {'app.yaml': APP}},
      {args: ['create', '-f', 'app.yaml']},
      {args: ['create', '-f', 'cm.yaml', '-o', 'name', '--save-config'], files: {'cm.yaml': CM('saved')}},
      {args: ['apply', 'view-last-applied', 'cm', 'saved']},
      {args: ['create', '-f', 'cm2.yaml', '--dry-run=client', '-o', 'yaml'], files: {'cm2.yaml': CM('dry')}},
    ],
  },
  {
    name: 'errors',
    steps: [
      {args: ['create']},
      {args: ['create', '-f', 'nope.yaml', '-f', 'nope2.yaml']},
      {args: ['create', '-f', 'field.yaml'], files: {'field.yaml': CM('uf') + 'spec:\n  foo: 1\n'}},
      {args: ['create', '-f', 'field.yaml', '--validate=warn']},
      {
        args: ['create', '-f', 'bad.yaml'],
        files: {
          'bad.yaml':
            CM('ok1') + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: 1\n---\n' + CM('never'),
        },
      },
      {args: ['create', '-f', 'nokind.yaml'], files: {'nokind.yaml': 'apiVersion: v1\nmetadata:\n  name: nk\n'}},
      {args: ['create', '-f', 'nokind.yaml', '--validate=false']},
      {args: ['create', '-f', 'badname.yaml'], files: {'badname.yaml': CM('Bad_Name')}},
    ],
  },
])

runScenarios('delete (differential)', [
  {
    name: 'by name, by file, by selector, --all',
    // --cascade=foreground leaves each object to the garbage collector, which removes its foregroundDeletion finalizer.
    controllers: true,
    steps: [
      {
        args: ['apply', '-f', 'cms.yaml'],
        files: {
          'cms.yaml': [CM('d1'), CM('d2'), CM('d3'), CM('d4'), CM('d5').replace('tier: cfg', 'tier: other')].join(
            '---\n',
          ),
        },
      },
      {args: ['delete', 'configmap', 'd1']},
      {args: ['delete', 'cm/d2', '-o', 'name']},
      {args: ['delete', 'cm', 'nope1', 'nope2']},
      {args: ['delete', 'cm', 'nope', '--ignore-not-found']},
      {args: ['delete', 'cm', '-l', 'tier=cfg']},
      {args: ['delete', 'cm', '-l', 'tier=none']},
      {args: ['delete', '-f', 'cms.yaml']},
      {args: ['delete', '-f', 'cms.yaml', '--ignore-not-found']},
      {args: ['apply', '-f', 'cms.yaml']},
      {args: ['delete', 'cm', '--all', '--dry-run=client']},
      {args: ['delete', 'cm', '--all', '--cascade=foreground']},
      {args: ['delete', 'cm', '--all']},
    ],
  },
  {
    name: 'pods: --force, --now, --grace-period, -A, -f',
    steps: [
      {
        args: ['create', '-f', 'pods.yaml'],
        files: {'pods.yaml': [POD('p1'), POD('p2'), POD('p3'), POD('p4')].join('---\n')},
      },
      {args: ['delete', 'pod', 'p1', '--force']},
      {args: ['delete', 'pod', 'p2', '--now']},
      {args: ['delete', 'pod', 'p3', '--grace-period=0', '--force', '-o', 'name']},
      {args: ['delete', 'pod', 'p4', '--grace-period=5', '--force']},
      {args: ['delete', 'pods,configmaps', '-l', 'x=y', '-A']},
      {args: ['delete', '-f', 'pods.yaml', '--wait=false']},
    ],
  },
  {
    name: 'errors',
    steps: [
      {args: ['delete']},
      {args: ['delete', 'cm']},
      {args: ['delete', 'nosuchkind', 'x']},
      {args: ['delete', 'cm', 'x', '-l', 'a=b']},
      {args: ['delete', 'cm', 'cm/x']},
      {args: ['delete', 'cm', 'x', '-o', 'yaml']},
      {args: ['delete', 'cm', 'x', '--cascade=sideways']},
      {args: ['delete', 'cm', '--all', '-l', 'a=b']},
    ],
  },
])
