import assert from 'node:assert/strict'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {Backoff} from '../../../src/daemon/kubelet/backoff.js'
import {
  TIMINGS,
  chooseStage,
  goDuration,
  newRuns,
  podStatus,
  runStages,
  type ContainerRun,
  type PodRecord,
  type StageEnv,
} from '../../../src/daemon/kubelet/stages.js'
import {FakeRuntime} from './fake-runtime.js'

const NOW = Date.parse('2026-01-01T00:00:00Z')

function env(over: Partial<StageEnv> = {}): StageEnv & {events: string[]} {
  const events: string[] = []
  let ip = 1
  return {
    now: NOW,
    node: 'mkctl',
    nodeIP: '192.168.49.2',
    runtime: new FakeRuntime(),
    timing: TIMINGS.fast,
    random: () => 0.5,
    imageBackoff: new Backoff(),
    crashBackoff: new Backoff(),
    event: (type, reason, message, run) => events.push(`${type} ${reason} ${run ? run.name + ': ' : ''}${message}`),
    allocateIP: () => `10.244.0.${++ip}`,
    events,
    ...over,
  }
}

function pod(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: 'p', namespace: 'default', uid: 'u1', ...meta},
    spec: {nodeName: 'mkctl', ...spec},
  } as Pod
}

function record(p: Pod, patch: (runs: ContainerRun[]) => void = () => {}, extra: Partial<PodRecord> = {}): PodRecord {
  const runs = newRuns(p)
  patch(runs)
  return {uid: 'u1', runs, initialized: runs.every((r) => r.kind === 'regular'), ...extra}
}

const nginx = {containers: [{name: 'nginx', image: 'nginx:1.27'}]}
const running = (r: ContainerRun, extra: Partial<ContainerRun> = {}) =>
  Object.assign(
    r,
    {
      phase: 'running',
      startedAt: NOW - 60_000,
      containerID: 'containerd://1',
      ready: true,
      started: true,
      imageRef: 'docker.io/library/nginx:1.27',
    },
    extra,
  )
const exited = (code: number, finishedAt: number) => (r: ContainerRun) =>
  Object.assign(r, {
    phase: 'exited',
    terminated: {exitCode: code, reason: code ? 'Error' : 'Completed', startedAt: finishedAt, finishedAt},
  })

// Each case: an input pod and the kubelet's memory of it → the first stage chosen, the stages run until none is
// due, and the parts of the status patch they produce (kwok's testdata idea, as a table).
const cases: {
  name: string
  pod: Pod
  rec: (p: Pod) => PodRecord
  env?: Partial<StageEnv>
  chosen: string | undefined
  applied: string[]
  want: Record<string, unknown>
}[] = [
  {
    name: 'bound pod, fast: sandbox, pull, start in one go',
    pod: pod(nginx),
    rec: (p) => record(p, () => {}, {initialized: false}),
    chosen: 'sandbox',
    applied: ['sandbox', 'pull:nginx', 'pulled:nginx', 'start:nginx'],
    want: {phase: 'Running', podIP: '10.244.0.2', ready: 'True', state: 'running', restartCount: 0},
  },
  {
    name: 'bound pod, realistic: pulling, still ContainerCreating',
    pod: pod(nginx),
    rec: (p) => record(p, () => {}, {initialized: false}),
    env: {timing: TIMINGS.realistic},
    chosen: 'sandbox',
    applied: ['sandbox', 'pull:nginx'],
    want: {phase: 'Pending', ready: 'False', state: 'waiting:ContainerCreating', podReadyToStart: 'True'},
  },
  {
    name: 'init containers: the first one starts, the rest show PodInitializing',
    pod: pod({
      ...nginx,
      initContainers: [
        {name: 'a', image: 'busybox', command: ['sleep', '5']},
        {name: 'b', image: 'busybox', command: ['sleep', '5']},
      ],
    }),
    rec: (p) => record(p, () => {}, {initialized: false}),
    chosen: 'sandbox',
    applied: ['sandbox', 'pull:a', 'pulled:a', 'start:a'],
    want: {
      phase: 'Pending',
      state: 'waiting:PodInitializing',
      initialized: 'False',
      init: ['running', 'waiting:PodInitializing'],
    },
  },
  {
    name: 'exit plan due: terminated with the code, Never → Failed',
    pod: pod({...nginx, restartPolicy: 'Never'}),
    rec: (p) =>
      record(
        p,
        (r) =>
          running(r[0]!, {
            exitAt: NOW,
            inst: {exit: {afterMs: 60_000, code: 2, reason: 'Error'}} as ContainerRun['inst'],
          }),
        {startTime: NOW - 60_000, ip: '10.244.0.9'},
      ),
    chosen: 'exit',
    applied: ['exit:nginx'],
    want: {phase: 'Failed', state: 'terminated:Error:2', ready: 'False'},
  },
  {
    name: 'exited, Always, relisted, no back-off yet: restart at once',
    pod: pod(nginx),
    rec: (p) => record(p, (r) => exited(1, NOW - 2000)(r[0]!), {startTime: NOW - 60_000, ip: '10.244.0.9'}),
    chosen: 'restart',
    applied: ['restart:nginx', 'pull:nginx', 'pulled:nginx', 'start:nginx'],
    want: {phase: 'Running', state: 'running', restartCount: 1, lastState: 'Error:1'},
  },
  {
    name: 'exited within its back-off: CrashLoopBackOff',
    pod: pod(nginx),
    rec: (p) =>
      record(p, (r) => exited(1, NOW - 2000)(Object.assign(r[0]!, {restartCount: 3})), {
        startTime: NOW - 60_000,
        ip: '10.244.0.9',
      }),
    env: {
      crashBackoff: (() => {
        const b = new Backoff()
        b.next('u1/c/nginx', NOW - 30_000, NOW - 30_000)
        b.next('u1/c/nginx', NOW - 2000, NOW - 2000)
        return b
      })(),
    },
    chosen: 'crash-loop-backoff',
    applied: ['crash-loop-backoff:nginx'],
    want: {
      phase: 'Running',
      state: 'waiting:CrashLoopBackOff',
      message: 'back-off 20s restarting failed container=nginx pod=p_default(u1)',
      restartCount: 3,
      lastState: 'Error:1',
    },
  },
  {
    name: 'exited just now: nothing until PLEG relists (status shows Error)',
    pod: pod(nginx),
    rec: (p) => record(p, (r) => exited(1, NOW - 100)(r[0]!), {startTime: NOW - 60_000, ip: '10.244.0.9'}),
    chosen: undefined,
    applied: [],
    want: {phase: 'Running', state: 'terminated:Error:1'},
  },
  {
    name: 'exit 0 with OnFailure: Succeeded, not restarted',
    pod: pod({...nginx, restartPolicy: 'OnFailure'}),
    rec: (p) => record(p, (r) => exited(0, NOW - 5000)(r[0]!), {startTime: NOW - 60_000, ip: '10.244.0.9'}),
    chosen: undefined,
    applied: [],
    want: {phase: 'Succeeded', state: 'terminated:Completed:0', ready: 'False', podReadyToStart: 'False'},
  },
  {
    name: 'failed pull, relisted: ImagePullBackOff',
    pod: pod({containers: [{name: 'c', image: 'ngnix'}]}),
    rec: (p) =>
      record(
        p,
        (r) =>
          Object.assign(r[0]!, {
            phase: 'pullFailed',
            failedAt: NOW - 1000,
            waiting: {reason: 'ErrImagePull', message: 'x'},
          }),
        {startTime: NOW - 5000, ip: '10.244.0.9'},
      ),
    env: {
      imageBackoff: (() => {
        const b = new Backoff()
        b.next('u1_ngnix', NOW - 1000, NOW - 1000)
        return b
      })(),
    },
    chosen: 'pull-backoff',
    applied: ['pull-backoff:c'],
    want: {phase: 'Pending', state: 'waiting:ImagePullBackOff', message: 'Back-off pulling image "ngnix"'},
  },
  {
    name: 'deleting pod: SIGTERM, then deleted',
    pod: pod(nginx, {deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30}),
    rec: (p) =>
      record(p, (r) => running(r[0]!, {image: {profile: 'nginx'} as ContainerRun['image']}), {
        startTime: NOW - 60_000,
        ip: '10.244.0.9',
      }),
    chosen: 'kill',
    applied: ['kill', 'delete'],
    want: {state: 'terminated:Error:137'},
  },
]

function summary(p: Pod, rec: PodRecord, e: StageEnv): Record<string, unknown> {
  const s = podStatus({pod: p, rec}, e)
  const cond = (t: string) => s.conditions?.find((c) => c.type === t)?.status
  const st = (c: NonNullable<typeof s.containerStatuses>[number]) => {
    if (c.state?.running) return 'running'
    if (c.state?.waiting) return `waiting:${c.state.waiting.reason}`
    return `terminated:${c.state?.terminated?.reason}:${c.state?.terminated?.exitCode}`
  }
  const c = s.containerStatuses![0]!
  return {
    phase: s.phase,
    podIP: s.podIP,
    ready: cond('Ready'),
    initialized: cond('Initialized'),
    podReadyToStart: cond('PodReadyToStartContainers'),
    state: st(c),
    message: c.state?.waiting?.message,
    restartCount: c.restartCount,
    lastState: c.lastState?.terminated
      ? `${c.lastState.terminated.reason}:${c.lastState.terminated.exitCode}`
      : undefined,
    init: s.initContainerStatuses?.map(st),
  }
}

describe('kubelet stages', () => {
  for (const c of cases) {
    it(c.name, () => {
      const e = env(c.env)
      const rec = c.rec(c.pod)
      assert.equal(chooseStage({pod: c.pod, rec}, e)?.stage.name, c.chosen)
      assert.deepEqual(runStages({pod: c.pod, rec}, e), c.applied)
      const got = summary(c.pod, rec, e)
      const picked = Object.fromEntries(Object.keys(c.want).map((k) => [k, got[k]]))
      assert.deepEqual(picked, c.want)
    })
  }

  it('records the kubelet events of a first start with their wording', () => {
    const e = env()
    const p = pod(nginx)
    runStages({pod: p, rec: record(p, () => {}, {initialized: false})}, e)
    assert.deepEqual(e.events, [
      'Normal Pulling nginx: Pulling image "nginx:1.27"',
      'Normal Pulled nginx: Successfully pulled image "nginx:1.27" in 1.234s (1.234s including waiting). Image size: 72099410 bytes.',
      'Normal Created nginx: Created container: nginx',
      'Normal Started nginx: Started container nginx',
    ])
  })

  it('status keeps condition transition times that did not change', () => {
    const e = env()
    const p = pod(nginx)
    const rec = record(p, (r) => running(r[0]!), {startTime: NOW - 60_000, ip: '10.244.0.9'})
    const first = podStatus({pod: p, rec}, e)
    const later = podStatus({pod: {...p, status: first}, rec}, {...e, now: NOW + 3_600_000})
    assert.deepEqual(later, first)
  })

  it('goDuration prints back-offs as Go does', () => {
    assert.deepEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000].map(goDuration), [
      '10s',
      '20s',
      '40s',
      '1m20s',
      '2m40s',
      '5m0s',
    ])
  })

  it('Backoff doubles to the maximum and resets after twice the maximum', () => {
    const b = new Backoff()
    let t = 0
    const seen: number[] = []
    for (let i = 0; i < 7; i++) {
      b.next('k', t, t)
      seen.push(b.get('k'))
      t += 1000
    }
    assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000])
    assert.equal(b.inBackOffSince('k', t, t + 1000), true)
    b.next('k', t + 700_000, t + 700_000)
    assert.equal(b.get('k'), 10_000)
  })
})
