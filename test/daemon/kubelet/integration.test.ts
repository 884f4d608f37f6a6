// integration.test.ts: the kubelet driving the REAL simulated runtime (createRuntime), for what only the two
// together decide: start errors, how processes answer SIGTERM, the container environment, the pod IP the
// process sees, and image names that do not parse. Wording follows kubelet 1.32 + containerd 1.7.
import assert from 'node:assert/strict'
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../../../src/api/object.js'
import {kubeletSet, stopNode} from '../../../src/daemon/kubelet/index.js'
import {createRuntime, type SimRuntime} from '../../../src/daemon/runtime/index.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

function pod(name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: 'default', ...meta},
    spec: {nodeName: 'mkctl', ...spec},
  } as KubeObject
}

const RUNC_NOT_FOUND =
  'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown'

describe('kubelet with the real runtime', () => {
  let f: Fixture
  let rt: SimRuntime
  const setup = async (timing: 'fast' | 'realistic') => {
    await f?.stop()
    f = fixture({cluster: {nodes: 2}, timing})
    rt = createRuntime({clock: f.clock, ids: f.cluster.ids, timing})
    const made = kubeletSet({runtime: rt})(f.ctx)
    f.start(...(Array.isArray(made) ? made : [made]))
    await f.settle()
  }
  beforeEach(() => setup('fast'))
  afterEach(async () => {
    await f?.stop()
  })

  const getPod = (name: string) => f.get('pods', 'default', name) as Pod | undefined
  const cs = (name: string) => getPod(name)!.status!.containerStatuses![0]!
  const events = (name: string) =>
    f
      .list('events', 'default')
      .filter((e: any) => e.involvedObject.name === name)
      .map((e: any) => `${e.type} ${e.reason} ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`)
  // A process writes its first lines just after it starts.
  const logs = (name: string, c = 'c') =>
    rt
      .logs(getPod(name)!.metadata!.uid!, c, {now: f.clock.now() + 1})!
      .map((l) => l.text)
      .join('\n')

  describe('a missing executable', () => {
    it('is Created but not Started: RunContainerError, then CrashLoopBackOff, lastState StartError 128', async () => {
      f.seed('pods', pod('bad', {containers: [{name: 'c', image: 'busybox', command: ['nosuchcmd']}]}))
      await f.settle()
      let s = cs('bad')
      assert.deepEqual(s.state, {waiting: {reason: 'RunContainerError', message: RUNC_NOT_FOUND}})
      assert.equal(s.lastState?.terminated?.reason, 'StartError')
      assert.equal(s.lastState?.terminated?.exitCode, 128)
      assert.equal(s.lastState?.terminated?.message, RUNC_NOT_FOUND)
      // containerd reports a container that never started with startedAt 0.
      assert.equal(s.lastState?.terminated?.startedAt, '1970-01-01T00:00:00Z')
      assert.equal(s.restartCount, 0)
      assert.equal(s.started, false)
      assert.equal(getPod('bad')!.status!.phase, 'Running')
      let ev = events('bad')
      assert.ok(ev.includes('Normal Created Created container: c'), ev.join('\n'))
      assert.ok(ev.includes(`Warning Failed Error: ${RUNC_NOT_FOUND}`), ev.join('\n'))
      assert.ok(!ev.some((e) => e.includes('Started')), ev.join('\n'))

      await f.advance(1000)
      assert.equal(cs('bad').restartCount, 1)
      await f.advance(1000)
      s = cs('bad')
      assert.equal(s.state?.waiting?.reason, 'CrashLoopBackOff')
      assert.match(s.state!.waiting!.message!, /^back-off 10s restarting failed container=c pod=bad_default/)
      assert.equal(s.lastState?.terminated?.reason, 'StartError')
      await f.advance(10_000)
      assert.equal(cs('bad').restartCount, 2)
      ev = events('bad')
      assert.ok(ev.includes(`Warning Failed Error: ${RUNC_NOT_FOUND} (x3)`), ev.join('\n'))
      assert.ok(
        ev.some((e) => e.startsWith('Warning BackOff Back-off restarting failed container c in pod bad_default')),
      )
    })

    it('with restartPolicy Never the pod fails with the container terminated StartError', async () => {
      f.seed(
        'pods',
        pod('once', {restartPolicy: 'Never', containers: [{name: 'c', image: 'busybox', command: ['nosuchcmd']}]}),
      )
      await f.settle()
      await f.advance(2000)
      const s = cs('once')
      assert.equal(getPod('once')!.status!.phase, 'Failed')
      assert.equal(s.state?.terminated?.reason, 'StartError')
      assert.equal(s.state?.terminated?.exitCode, 128)
      assert.equal(s.state?.terminated?.message, RUNC_NOT_FOUND)
      assert.equal(s.restartCount, 0)
    })
  })

  describe('termination', () => {
    it('nginx exits 0 on SIGTERM (at once in fast timing); a sleeping shell is SIGKILLed after the grace period', async () => {
      f.seed('pods', pod('web', {containers: [{name: 'c', image: 'nginx'}]}))
      f.seed('pods', pod('sleeper', {containers: [{name: 'c', image: 'busybox', command: ['sleep', '3600']}]}))
      await f.settle()
      const web = rt.instance(getPod('web')!.metadata!.uid!, 'c')!
      const sleeper = rt.instance(getPod('sleeper')!.metadata!.uid!, 'c')!
      const term = web.termination()!
      assert.ok(term, 'nginx answers SIGTERM')
      assert.equal(sleeper.termination(), undefined)
      const t0 = f.clock.now()
      await f.ctx.client.delete('pods', 'default', 'web', {})
      await f.ctx.client.delete('pods', 'default', 'sleeper', {})
      await f.settle()
      assert.equal(getPod('web'), undefined, 'nginx is gone once it exited')
      assert.equal(web.finishedAt, t0)
      assert.equal(web.exitCode, term.code)
      assert.ok(events('web').includes('Normal Killing Stopping container c'))
      await f.advance(29_000)
      assert.ok(getPod('sleeper'), 'sleep ignores SIGTERM')
      await f.advance(1000)
      assert.equal(getPod('sleeper'), undefined)
      assert.equal(sleeper.exitCode, 137)
      assert.equal(sleeper.finishedAt, t0 + 30_000)
    })

    it('under realistic timing the process takes its shutdown time, after the preStop hook', async () => {
      await setup('realistic')
      f.seed(
        'pods',
        pod('hooked', {containers: [{name: 'c', image: 'nginx', lifecycle: {preStop: {sleep: {seconds: 5}}}}]}),
      )
      await f.advance(10_000)
      const inst = rt.instance(getPod('hooked')!.metadata!.uid!, 'c')!
      const term = inst.termination()!
      assert.ok(term.afterMs > 0)
      const t0 = f.clock.now()
      await f.ctx.client.delete('pods', 'default', 'hooked', {})
      await f.settle()
      await f.advance(5000 + term.afterMs - 1)
      assert.ok(getPod('hooked'))
      await f.advance(1)
      assert.equal(getPod('hooked'), undefined)
      assert.equal(inst.finishedAt, t0 + 5000 + term.afterMs)
      assert.equal(inst.exitCode, term.code)
    })

    it('a liveness kill lets nginx exit 0 (Completed) and SIGKILLs a shell after the grace period (137)', async () => {
      const probe = {
        exec: {command: ['cat', '/tmp/healthy']},
        initialDelaySeconds: 5,
        periodSeconds: 5,
        failureThreshold: 1,
      }
      f.seed('pods', pod('ng', {containers: [{name: 'c', image: 'nginx', livenessProbe: probe}]}))
      f.seed(
        'pods',
        pod('sh', {
          terminationGracePeriodSeconds: 8,
          containers: [{name: 'c', image: 'busybox', command: ['sleep', '3600'], livenessProbe: probe}],
        }),
      )
      await f.settle()
      await f.advance(5000)
      assert.ok(events('ng').includes('Normal Killing Container c failed liveness probe, will be restarted'))
      await f.advance(2000)
      let s = cs('ng')
      assert.equal(s.restartCount, 1)
      assert.equal(s.lastState?.terminated?.reason, 'Completed')
      assert.equal(s.lastState?.terminated?.exitCode, 0)
      // The shell is still running through its grace period.
      assert.ok(cs('sh').state?.running)
      assert.equal(cs('sh').restartCount, 0)
      // SIGKILL at 5 s + 8 s of grace, restarted a relist later.
      await f.advance(7000)
      s = cs('sh')
      assert.equal(s.restartCount, 1)
      assert.equal(s.lastState?.terminated?.reason, 'Error')
      assert.equal(s.lastState?.terminated?.exitCode, 137)
    })

    it('a node that is stopped sends its containers SIGTERM', async () => {
      await setup('realistic')
      f.seed('pods', pod('web', {containers: [{name: 'c', image: 'nginx'}]}))
      await f.advance(10_000)
      const inst = rt.instance(getPod('web')!.metadata!.uid!, 'c')!
      const term = inst.termination()!
      const t0 = f.clock.now()
      stopNode(f.ctx, 'mkctl')
      await f.advance(term.afterMs)
      assert.equal(inst.finishedAt, t0 + term.afterMs)
      assert.equal(inst.exitCode, term.code)
    })
  })

  describe('environment', () => {
    const cmd = (vars: string[]) => ['sh', '-c', `echo "${vars.map((v) => `${v}=$${v}`).join(' ')}"; sleep 3600`]

    it('resolves values, configMap/secret refs, envFrom, the downward API, $(VAR) and service variables', async () => {
      f.seed('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {name: 'cfg', namespace: 'default'},
        data: {color: 'blue', mode: 'fast'},
      } as KubeObject)
      f.seed('secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {name: 'sec', namespace: 'default'},
        stringData: {password: 's3cret'},
      } as KubeObject)
      f.seed('services', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {name: 'my-db', namespace: 'default'},
        spec: {clusterIP: '10.96.7.7', ports: [{name: 'pg', port: 5432}]},
      } as KubeObject)
      f.seed(
        'pods',
        pod(
          'envy',
          {
            containers: [
              {
                name: 'c',
                image: 'busybox',
                command: cmd([
                  'GREETING',
                  'COLOR',
                  'PASSWORD',
                  'CFG_mode',
                  'POD_NAME',
                  'POD_IP',
                  'APP',
                  'NODE',
                  'MEM_MI',
                  'CPU_M',
                  'URL',
                  'MY_DB_SERVICE_HOST',
                  'MY_DB_SERVICE_PORT_PG',
                  'MY_DB_PORT_5432_TCP_ADDR',
                  'KUBERNETES_SERVICE_HOST',
                ]),
                resources: {limits: {memory: '64Mi', cpu: '250m'}},
                envFrom: [{configMapRef: {name: 'cfg'}, prefix: 'CFG_'}],
                env: [
                  {name: 'GREETING', value: 'hi'},
                  {name: 'COLOR', valueFrom: {configMapKeyRef: {name: 'cfg', key: 'color'}}},
                  {name: 'PASSWORD', valueFrom: {secretKeyRef: {name: 'sec', key: 'password'}}},
                  {name: 'POD_NAME', valueFrom: {fieldRef: {fieldPath: 'metadata.name'}}},
                  {name: 'POD_IP', valueFrom: {fieldRef: {fieldPath: 'status.podIP'}}},
                  {name: 'APP', valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}},
                  {name: 'NODE', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName'}}},
                  {name: 'MEM_MI', valueFrom: {resourceFieldRef: {resource: 'limits.memory', divisor: '1Mi'}}},
                  {name: 'CPU_M', valueFrom: {resourceFieldRef: {resource: 'limits.cpu', divisor: '1m'}}},
                  {name: 'URL', value: 'http://$(MY_DB_SERVICE_HOST):$(MY_DB_SERVICE_PORT)/$(COLOR)'},
                ],
              },
            ],
          },
          {labels: {app: 'envy'}},
        ),
      )
      await f.settle()
      const ip = getPod('envy')!.status!.podIP!
      assert.match(ip, /^10\.244\.0\.\d+$/)
      assert.equal(
        logs('envy'),
        [
          'GREETING=hi',
          'COLOR=blue',
          'PASSWORD=s3cret',
          'CFG_mode=fast',
          'POD_NAME=envy',
          `POD_IP=${ip}`,
          'APP=envy',
          'NODE=mkctl',
          'MEM_MI=64',
          'CPU_M=250',
          'URL=http://10.96.7.7:5432/blue',
          'MY_DB_SERVICE_HOST=10.96.7.7',
          'MY_DB_SERVICE_PORT_PG=5432',
          'MY_DB_PORT_5432_TCP_ADDR=10.96.7.7',
          'KUBERNETES_SERVICE_HOST=10.96.0.1',
        ].join(' '),
      )
    })

    it('without service links only the kubernetes service variables are set', async () => {
      f.seed('services', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {name: 'db', namespace: 'default'},
        spec: {clusterIP: '10.96.7.8', ports: [{port: 5432}]},
      } as KubeObject)
      f.seed(
        'pods',
        pod('nolinks', {
          enableServiceLinks: false,
          containers: [{name: 'c', image: 'busybox', command: cmd(['DB_SERVICE_HOST', 'KUBERNETES_PORT'])}],
        }),
      )
      await f.settle()
      assert.equal(logs('nolinks'), 'DB_SERVICE_HOST= KUBERNETES_PORT=tcp://10.96.0.1:443')
    })

    it('waits in CreateContainerConfigError for a missing configMap, and starts when it appears', async () => {
      f.seed(
        'pods',
        pod('needy', {
          containers: [
            {
              name: 'c',
              image: 'busybox',
              command: cmd(['K']),
              env: [{name: 'K', valueFrom: {configMapKeyRef: {name: 'later', key: 'k'}}}],
            },
          ],
        }),
      )
      await f.settle()
      assert.deepEqual(cs('needy').state, {
        waiting: {reason: 'CreateContainerConfigError', message: 'configmap "later" not found'},
      })
      assert.equal(getPod('needy')!.status!.phase, 'Pending')
      assert.ok(events('needy').includes('Warning Failed Error: configmap "later" not found'))
      // The kubelet retries on its next pod sync, 10 s later.
      await f.advance(10_000)
      let ev = events('needy')
      assert.ok(ev.includes('Warning Failed Error: configmap "later" not found (x2)'), ev.join('\n'))
      // busybox means busybox:latest, pulled Always: each try pulls again.
      assert.ok(ev.includes('Normal Pulling Pulling image "busybox" (x2)'), ev.join('\n'))
      // A ConfigMap without the key: the message names the key.
      f.seed('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {name: 'later', namespace: 'default'},
        data: {other: 'x'},
      } as KubeObject)
      await f.settle()
      await f.advance(10_000)
      assert.deepEqual(cs('needy').state, {
        waiting: {reason: 'CreateContainerConfigError', message: "couldn't find key k in ConfigMap default/later"},
      })
      ev = events('needy')
      assert.ok(ev.includes("Warning Failed Error: couldn't find key k in ConfigMap default/later"), ev.join('\n'))
      // Adding the key starts the container without waiting for the next retry.
      await f.ctx.client.mutate('configmaps', 'default', 'later', (cm) => ({...cm, data: {k: 'v'}}))
      await f.settle()
      assert.ok(cs('needy').state?.running)
      assert.equal(logs('needy'), 'K=v')
    })

    it('a missing secret and key say so in the Secret wording; optional references are skipped', async () => {
      f.seed(
        'pods',
        pod('sec', {
          containers: [
            {
              name: 'c',
              image: 'busybox',
              command: cmd(['A', 'B']),
              env: [
                {name: 'A', valueFrom: {secretKeyRef: {name: 'nope', key: 'a', optional: true}}},
                {name: 'B', valueFrom: {secretKeyRef: {name: 'creds', key: 'b'}}},
              ],
            },
          ],
        }),
      )
      await f.settle()
      assert.equal(cs('sec').state?.waiting?.message, 'secret "creds" not found')
      f.seed('secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {name: 'creds', namespace: 'default'},
        data: {c: 'eA=='},
      } as KubeObject)
      await f.advance(10_000)
      assert.equal(cs('sec').state?.waiting?.message, "couldn't find key b in Secret default/creds")
    })
  })

  it('the process sees the pod IP the status shows', async () => {
    f.seed(
      'pods',
      pod('ip', {containers: [{name: 'c', image: 'busybox', command: ['sh', '-c', 'cat /etc/hosts; sleep 3600']}]}),
    )
    await f.settle()
    const p = getPod('ip')!
    const inst = rt.instance(p.metadata!.uid!, 'c')!
    assert.equal(inst.podIP, p.status!.podIP)
    assert.match(logs('ip'), new RegExp(`${p.status!.podIP!.replaceAll('.', '\\.')}\\tip`))
  })

  it('an image name that does not parse waits in InvalidImageName and is retried every pod sync', async () => {
    f.seed('pods', pod('inv', {containers: [{name: 'c', image: 'Nginx'}]}))
    await f.settle()
    const msg = `Failed to apply default image tag "Nginx": couldn't parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase`
    assert.deepEqual(cs('inv').state, {waiting: {reason: 'InvalidImageName', message: msg}})
    assert.equal(getPod('inv')!.status!.phase, 'Pending')
    let ev = events('inv')
    assert.ok(ev.includes(`Warning InspectFailed ${msg}`), ev.join('\n'))
    assert.ok(ev.includes('Warning Failed Error: InvalidImageName'), ev.join('\n'))
    assert.ok(!ev.some((e) => e.includes('Pulling')), ev.join('\n'))
    await f.advance(10_000)
    ev = events('inv')
    assert.ok(ev.includes('Warning Failed Error: InvalidImageName (x2)'), ev.join('\n'))
  })

  it('takes 1000 pods to Running with the real runtime in fast timing, one status write each', async function () {
    this.timeout(60_000)
    f.seed('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'web', namespace: 'default'},
      spec: {clusterIP: '10.96.5.5', ports: [{port: 80}]},
    } as KubeObject)
    await f.settle()
    const client = f.cluster.manager.client
    client.actions.length = 0
    client.record = true
    f.cluster.store.transaction(() => {
      for (let i = 0; i < 1000; i++) {
        f.seed(
          'pods',
          pod(
            `p${i}`,
            {
              nodeName: i % 2 ? 'mkctl' : 'mkctl-m02',
              containers: [
                {
                  name: 'c',
                  image: 'nginx:1.27',
                  env: [{name: 'IP', valueFrom: {fieldRef: {fieldPath: 'status.podIP'}}}],
                },
              ],
            },
            {labels: {app: 'web'}},
          ),
        )
      }
    })
    const w0 = performance.now()
    await f.settle()
    const ms = performance.now() - w0
    client.record = false
    const pods = f.list('pods', 'default')
    assert.equal(pods.filter((p: any) => p.status.phase === 'Running').length, 1000)
    const writes = client.actions.filter((a) => a.resource === 'pods' && a.subresource === 'status').length
    assert.ok(writes <= 1010, `${writes} status writes`)
    console.log(`      1000 pods Running in ${ms.toFixed(0)} ms wall, ${writes} status writes`)
  })
})
