// sandbox.test.ts checks the container sandbox on a running cluster core: the image's and the kubelet's files,
// env, volumes (configMap, secret, downwardAPI, projected, emptyDir shared by containers, subPath, readOnly, PVC
// data outliving the pod), image commands, and the interactive session's line discipline.
import assert from 'node:assert/strict'
import {ShellSession, type ContainerSandbox} from '../../../src/daemon/sandbox/index.js'
import {startEnv, type Env} from './setup.js'

const pod = (name: string, spec: object, labels: Record<string, string> = {}) =>
  ({apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: 'default', labels}, spec}) as never

async function sh(sb: ContainerSandbox, script: string) {
  return sb.run(['sh', '-c', script])
}

/** drive feeds a session input and collects what it writes until it exits. */
function drive(
  sb: ContainerSandbox,
  tty: boolean,
  inputs: string[],
  shell = 'sh',
): Promise<{out: string; code: number}> {
  return new Promise((resolve) => {
    let out = ''
    const s = new ShellSession(sb, {write: (t) => (out += t), exit: (code) => resolve({out, code})}, {tty, shell})
    s.start()
    void (async () => {
      // One input at a time, as a user types after seeing the prompt.
      for (const i of inputs) {
        s.input(i)
        await s.idle()
      }
      s.eof()
    })()
  })
}

describe('container sandbox', function () {
  this.timeout(60_000)
  let env: Env
  before(async () => {
    env = await startEnv()
    env.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'cfg', namespace: 'default'},
      data: {'app.conf': 'port=80\n', 'nginx.conf': 'server {}\n'},
    } as never)
    env.create('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {name: 'db', namespace: 'default'},
      data: {password: Buffer.from('s3cret').toString('base64')},
    } as never)
    env.create(
      'pods',
      pod(
        'web',
        {
          volumes: [
            {name: 'cfg', configMap: {name: 'cfg'}},
            {name: 'sec', secret: {secretName: 'db'}},
            {
              name: 'info',
              downwardAPI: {
                items: [
                  {path: 'labels', fieldRef: {fieldPath: 'metadata.labels'}},
                  {path: 'name', fieldRef: {fieldPath: 'metadata.name'}},
                ],
              },
            },
            {
              name: 'all',
              projected: {
                sources: [
                  {configMap: {name: 'cfg', items: [{key: 'app.conf', path: 'conf/app.conf'}]}},
                  {secret: {name: 'db'}},
                ],
              },
            },
            {name: 'shared', emptyDir: {}},
          ],
          containers: [
            {
              name: 'nginx',
              image: 'nginx',
              env: [
                {name: 'DB_PASSWORD', valueFrom: {secretKeyRef: {name: 'db', key: 'password'}}},
                {name: 'MODE', value: 'prod'},
              ],
              volumeMounts: [
                {name: 'cfg', mountPath: '/etc/config'},
                {name: 'cfg', mountPath: '/etc/nginx/conf.d/default.conf', subPath: 'nginx.conf'},
                {name: 'sec', mountPath: '/etc/secret'},
                {name: 'info', mountPath: '/etc/podinfo'},
                {name: 'all', mountPath: '/projected'},
                {name: 'shared', mountPath: '/data'},
              ],
            },
            {
              name: 'side',
              image: 'busybox',
              command: ['sleep', '3600'],
              volumeMounts: [
                {name: 'shared', mountPath: '/shared', readOnly: true},
                {name: 'shared', mountPath: '/sub', subPath: 'logs'},
              ],
            },
          ],
        },
        {app: 'web', tier: 'front'},
      ),
    )
    env.create('pods', pod('box', {containers: [{name: 'box', image: 'alpine', command: ['sleep', '3600']}]}))
    env.create('pods', pod('cache', {containers: [{name: 'redis', image: 'redis'}]}))
  })
  after(async () => env?.stop())

  it('has the image files and the files the kubelet writes', async () => {
    const sb = await env.sandbox('web')
    const ip = env.pod('web').status!.podIP!
    assert.equal((await sh(sb, 'cat /etc/hostname')).stdout, 'web\n')
    assert.match((await sh(sb, 'cat /etc/hosts')).stdout, new RegExp(`\\n${ip.replace(/\./g, '\\.')}\\tweb\\n$`))
    assert.equal(
      (await sh(sb, 'cat /etc/resolv.conf')).stdout,
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    )
    assert.match((await sh(sb, 'grep ^ID= /etc/os-release')).stdout, /^ID=debian\n$/)
    assert.match((await sh(sb, 'cat /usr/share/nginx/html/index.html')).stdout, /Welcome to nginx!/)
    const ls = (await sh(sb, 'ls /')).stdout.split('\n')
    for (const d of ['bin', 'etc', 'proc', 'tmp', 'usr', 'var', 'data', 'projected']) assert.ok(ls.includes(d), d)
    const box = await env.sandbox('box')
    assert.match((await sh(box, 'cat /etc/os-release')).stdout, /ID=alpine/)
  })

  it('has the env of the spec, resolved as the kubelet does', async () => {
    const sb = await env.sandbox('web')
    assert.equal(
      (await sh(sb, 'echo $DB_PASSWORD $MODE $HOSTNAME $KUBERNETES_SERVICE_HOST $HOME')).stdout,
      's3cret prod web 10.96.0.1 /root\n',
    )
  })

  it('mounts configMap, secret, downwardAPI and projected volumes read-only', async () => {
    const sb = await env.sandbox('web')
    assert.equal((await sh(sb, 'cat /etc/config/app.conf')).stdout, 'port=80\n')
    assert.equal((await sh(sb, 'ls /etc/config')).stdout, 'app.conf\nnginx.conf\n')
    assert.equal((await sh(sb, 'readlink /etc/config/app.conf')).stdout, '..data/app.conf\n')
    assert.equal((await sh(sb, 'cat /etc/nginx/conf.d/default.conf')).stdout, 'server {}\n')
    assert.equal((await sh(sb, 'cat /etc/secret/password')).stdout, 's3cret')
    assert.equal((await sh(sb, 'cat /etc/podinfo/labels')).stdout, 'app="web"\ntier="front"')
    assert.equal((await sh(sb, 'cat /projected/conf/app.conf /projected/password')).stdout, 'port=80\ns3cret')
    const w = await sb.run(['touch', '/etc/config/new'])
    assert.deepEqual(w, {
      stdout: '',
      stderr: "touch: cannot touch '/etc/config/new': Read-only file system\n",
      exitCode: 1,
    })
    const r = await sh(sb, 'echo x > /etc/secret/password')
    assert.equal(r.stderr, 'sh: 1: cannot create /etc/secret/password: Read-only file system\n')
    assert.notEqual(r.exitCode, 0)
    const sub = await sh(sb, 'echo x >> /etc/nginx/conf.d/default.conf')
    assert.match(sub.stderr, /Read-only file system/)
  })

  it('shows a ConfigMap update in the mounted file after the kubelet sync period, not in a subPath copy', async () => {
    const sb = await env.sandbox('web')
    const cm = env.cluster.registry.get(env.cluster.resources().lookup('', 'v1', 'configmaps')!, 'default', 'cfg')
    env.update('configmaps', {
      ...cm,
      data: {'app.conf': 'port=8080\n', 'nginx.conf': 'server { listen 8080; }\n'},
    } as never)
    const before = (await sh(sb, 'cat /etc/config/app.conf')).stdout
    assert.notEqual(before, 'port=8080\n', 'the kubelet has not synced the volume yet')
    await env.clock.advance(60_000)
    assert.equal((await sh(sb, 'cat /etc/config/app.conf')).stdout, 'port=8080\n')
    assert.equal((await sh(sb, 'cat /etc/nginx/conf.d/default.conf')).stdout, 'server {}\n')
  })

  it('shares emptyDir between the pod containers and honours readOnly and subPath', async () => {
    const web = await env.sandbox('web')
    const side = await env.sandbox('web', 'side')
    await sh(web, 'echo hello > /data/msg; mkdir -p /data/logs; echo l1 > /data/logs/a.log')
    assert.equal((await sh(side, 'cat /shared/msg')).stdout, 'hello\n')
    assert.equal((await sh(side, 'cat /sub/a.log')).stdout, 'l1\n')
    const ro = await sh(side, 'echo x > /shared/msg')
    assert.equal(ro.stderr, "sh: can't create /shared/msg: Read-only file system\n")
    await sh(side, 'echo l2 > /sub/b.log')
    assert.equal((await sh(web, 'cat /data/logs/b.log')).stdout, 'l2\n')
  })

  it('keeps files across execs', async () => {
    const sb = await env.sandbox('web')
    await sh(sb, 'echo kept > /root/note')
    const again = await env.sandbox('web')
    assert.equal((await again.run(['cat', '/root/note'])).stdout, 'kept\n')
  })

  it('keeps PVC data for the next pod that mounts the claim', async () => {
    env.create('persistentvolumeclaims', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {name: 'data', namespace: 'default'},
      spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}},
    } as never)
    const spec = {
      volumes: [{name: 'd', persistentVolumeClaim: {claimName: 'data'}}],
      containers: [
        {name: 'c', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{name: 'd', mountPath: '/var/data'}]},
      ],
    }
    env.create('pods', pod('db-1', spec))
    await sh(await env.sandbox('db-1'), 'echo persisted > /var/data/file')
    env.cluster.registry.delete(env.cluster.resources().lookup('', 'v1', 'pods')!, 'default', 'db-1', {
      gracePeriodSeconds: 0,
    } as never)
    await env.cluster.manager.settle()
    env.create('pods', pod('db-2', spec))
    assert.equal((await sh(await env.sandbox('db-2'), 'cat /var/data/file')).stdout, 'persisted\n')
  })

  it('runs the commands a container has beyond coreutils', async () => {
    const sb = await env.sandbox('web')
    assert.equal((await sb.run(['hostname'])).stdout, 'web\n')
    assert.equal((await sb.run(['nginx', '-v'])).stderr, 'nginx version: nginx/1.29.3\n')
    assert.equal((await sb.run(['id'])).stdout, 'uid=0(root) gid=0(root) groups=0(root)\n')
    assert.match((await sb.run(['uname', '-a'])).stdout, /^Linux web \S+ .* x86_64 GNU\/Linux\n$/)
    const ps = (await sb.run(['ps', 'aux'])).stdout
    assert.match(ps, /^USER +PID/)
    assert.match(ps, /\n\S+ +1 .* nginx: master process nginx -g daemon off;\n/)
    assert.match((await sb.run(['mount'])).stdout, /on \/etc\/config type ext4 \(ro,relatime\)/)
    assert.match((await sb.run(['curl', '-s', 'localhost'])).stdout, /Welcome to nginx!/)
    const box = await env.sandbox('box')
    assert.match((await box.run(['ps'])).stdout, /^PID {3}USER {5}TIME {2}COMMAND\n {4}1 root {5}0:00 sleep 3600\n/)
    const redis = await env.sandbox('cache')
    assert.equal((await redis.run(['redis-cli', 'ping'])).stdout, 'PONG\n')
    assert.equal((await box.run(['bash'])).notFound, true)
    assert.equal((await box.run(['nosuch'])).notFound, true)
  })

  it('reaches another pod through a Service name', async () => {
    env.create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'web', namespace: 'default'},
      spec: {selector: {app: 'web'}, ports: [{port: 80, targetPort: 80}]},
    } as never)
    await env.cluster.manager.settle()
    const box = await env.sandbox('box')
    assert.match((await box.run(['wget', '-q', '-O-', 'http://web'])).stdout, /Welcome to nginx!/)
    assert.match((await box.run(['nslookup', 'web'])).stdout, /Name:\tweb\.default\.svc\.cluster\.local\nAddress: 10\./)
    assert.equal((await box.run(['curl', '-s', 'http://nope'])).exitCode, 6)
  })

  it('runs an interactive tty session: prompt, echo, backspace, Ctrl-C, cwd and exit code', async () => {
    const sb = await env.sandbox('web')
    const r = await drive(sb, true, ['cd /etc\r', 'echo hellp\x7fo\r', 'sleep 0\x03', 'pwd\r', 'exit 3\r'])
    assert.equal(r.code, 3)
    assert.equal(r.out, '# cd /etc\r\n# echo hellp\b \bo\r\nhello\r\n# sleep 0^C\r\n# pwd\r\n/etc\r\n# exit 3\r\n')
    const box = await env.sandbox('box')
    const a = await drive(box, true, ['cd /tmp\r', '\x04'])
    assert.equal(a.out, '/ # cd /tmp\r\n/tmp # ')
    assert.equal(a.code, 0)
    const b = await drive(sb, true, ['for i in 1 2\r', 'do echo $i; done\r', 'exit\r'], 'bash')
    assert.equal(b.out, 'root@web:/# for i in 1 2\r\n> do echo $i; done\r\n1\r\n2\r\nroot@web:/# exit\r\n')
  })

  it('runs a non-tty session line by line and ends with the last status at EOF', async () => {
    const sb = await env.sandbox('web')
    const r = await drive(sb, false, ['export A=1\n', 'echo $A\nfalse\n'])
    assert.deepEqual(r, {out: '1\n', code: 1})
  })
})
