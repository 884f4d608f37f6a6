// End to end with the real kubectl against an in-process daemon: what `kubectl get -o json` shows after create,
// and the server's 422 messages as kubectl prints them.
import assert from 'node:assert/strict'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../../helpers/daemon.js'

describe('kinds: through the real kubectl', function () {
  this.timeout(60_000)
  let t: TestDaemon
  before(async function () {
    if (!kubectlAvailable()) this.skip()
    t = await startTestDaemon()
  })
  after(async () => t?.stop())

  it('kubectl run shows the defaulted pod', async () => {
    assert.equal((await t.kubectl(['run', 'p', '--image=nginx'])).code, 0)
    const pod = JSON.parse((await t.kubectl(['get', 'pod', 'p', '-o', 'json'])).stdout)
    assert.equal(pod.spec.containers[0].imagePullPolicy, 'Always')
    assert.equal(pod.spec.serviceAccountName, 'default')
    assert.match(pod.spec.volumes[0].name, /^kube-api-access-[a-z0-9]{5}$/)
    assert.deepEqual(pod.status.qosClass, 'BestEffort')
  })

  it('kubectl create deployment shows the defaulted template', async () => {
    assert.equal((await t.kubectl(['create', 'deployment', 'web', '--image=nginx:1.27'])).code, 0)
    const d = JSON.parse((await t.kubectl(['get', 'deploy', 'web', '-o', 'json'])).stdout)
    assert.deepEqual(d.spec.strategy, {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}})
    assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent')
    assert.equal(d.spec.template.spec.schedulerName, 'default-scheduler')
  })

  it('prints the server validation messages', async () => {
    const r = await t.kubectl(['create', 'cronjob', 'cj', '--image=busybox', '--schedule=bad'])
    assert.equal(
      r.stderr.trim(),
      'error: failed to create cronjob: CronJob.batch "cj" is invalid: spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]',
    )
    const bad = await t.kubectl(['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {name: 'x'},
        spec: {
          selector: {matchLabels: {app: 'x'}},
          template: {metadata: {labels: {app: 'y'}}, spec: {containers: [{name: 'c', image: 'nginx'}]}},
        },
      }),
    })
    assert.equal(
      bad.stderr.trim(),
      'The Deployment "x" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`',
    )
  })
})
