import assert from 'node:assert/strict'
import {convertorFor} from '../../../../src/daemon/registry/tables/index.js'
import {ago, M, meta, NOW, pod, running, S, terminated, waiting} from './fixtures.js'

// Each case gives a pod and the cells a 1.32 apiserver prints for it (printPod), all nine of them.
interface Case {
  name: string
  object: any
  now?: number
  wantCells: unknown[]
  wantConditions?: unknown[]
}

const wideTail = ['10.244.0.5', 'node-1', '<none>', '<none>']
const ip = {podIPs: [{ip: '10.244.0.5'}], podIP: '10.244.0.5'}

const cases: Case[] = [
  {
    name: 'running and ready',
    object: pod('web', {phase: 'Running', ...ip, containerStatuses: [running()]}),
    wantCells: ['web', '1/1', 'Running', '0', '5m', ...wideTail],
  },
  {
    name: 'pending, not scheduled: no IP, no node',
    object: pod('p', {phase: 'Pending'}, {nodeName: undefined}),
    wantCells: ['p', '0/1', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'ContainerCreating',
    object: pod('p', {phase: 'Pending', containerStatuses: [waiting('ContainerCreating')]}),
    wantCells: ['p', '0/1', 'ContainerCreating', '0', '5m', '<none>', 'node-1', '<none>', '<none>'],
  },
  {
    name: 'ErrImagePull',
    object: pod('p', {phase: 'Pending', ...ip, containerStatuses: [waiting('ErrImagePull')]}),
    wantCells: ['p', '0/1', 'ErrImagePull', '0', '5m', ...wideTail],
  },
  {
    name: 'ImagePullBackOff',
    object: pod('p', {phase: 'Pending', ...ip, containerStatuses: [waiting('ImagePullBackOff')]}),
    wantCells: ['p', '0/1', 'ImagePullBackOff', '0', '5m', ...wideTail],
  },
  {
    name: 'CrashLoopBackOff with restarts and when the last one was',
    object: pod('p', {phase: 'Running', ...ip, containerStatuses: [waiting('CrashLoopBackOff', 'c', 5, ago(5 * M))]}),
    wantCells: ['p', '0/1', 'CrashLoopBackOff', '5 (5m ago)', '5m', ...wideTail],
  },
  {
    name: 'restarts without a finishedAt print only the count',
    object: pod('p', {phase: 'Running', ...ip, containerStatuses: [running('c', 2)]}),
    wantCells: ['p', '1/1', 'Running', '2', '5m', ...wideTail],
  },
  {
    name: 'restart ages use HumanDuration (75s ago)',
    object: pod('p', {phase: 'Running', ...ip, containerStatuses: [running('c', 1, ago(75 * S))]}),
    wantCells: ['p', '1/1', 'Running', '1 (75s ago)', '5m', ...wideTail],
  },
  {
    name: 'Completed pod gets the Succeeded row condition',
    object: pod('job-x', {
      phase: 'Succeeded',
      ...ip,
      containerStatuses: [terminated({exitCode: 0, reason: 'Completed'})],
    }),
    wantCells: ['job-x', '0/1', 'Completed', '0', '5m', ...wideTail],
    wantConditions: [
      {type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'},
    ],
  },
  {
    name: 'Error pod gets the Failed row condition',
    object: pod('p', {phase: 'Failed', ...ip, containerStatuses: [terminated({exitCode: 1, reason: 'Error'})]}),
    wantCells: ['p', '0/1', 'Error', '0', '5m', ...wideTail],
    wantConditions: [{type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.'}],
  },
  {
    name: 'terminated by a signal without a reason → Signal:9',
    object: pod('p', {phase: 'Running', ...ip, containerStatuses: [terminated({exitCode: 137, signal: 9})]}),
    wantCells: ['p', '0/1', 'Signal:9', '0', '5m', ...wideTail],
  },
  {
    name: 'terminated without a reason or signal → ExitCode:3',
    object: pod('p', {phase: 'Running', ...ip, containerStatuses: [terminated({exitCode: 3})]}),
    wantCells: ['p', '0/1', 'ExitCode:3', '0', '5m', ...wideTail],
  },
  {
    name: 'Init:0/2 while the first init container is PodInitializing',
    object: pod(
      'p',
      {
        phase: 'Pending',
        initContainerStatuses: [waiting('PodInitializing', 'i1'), waiting('PodInitializing', 'i2')],
        containerStatuses: [waiting('PodInitializing')],
      },
      {initContainers: [{name: 'i1'}, {name: 'i2'}]},
    ),
    wantCells: ['p', '0/1', 'Init:0/2', '0', '5m', '<none>', 'node-1', '<none>', '<none>'],
  },
  {
    name: 'Init:1/2 once the first init container succeeded',
    object: pod(
      'p',
      {
        phase: 'Pending',
        ...ip,
        initContainerStatuses: [terminated({exitCode: 0, reason: 'Completed'}, 'i1'), running('i2')],
      },
      {initContainers: [{name: 'i1'}, {name: 'i2'}]},
    ),
    wantCells: ['p', '0/1', 'Init:1/2', '0', '5m', ...wideTail],
  },
  {
    name: 'Init:Error',
    object: pod(
      'p',
      {phase: 'Pending', ...ip, initContainerStatuses: [terminated({exitCode: 1, reason: 'Error'}, 'i1')]},
      {initContainers: [{name: 'i1'}]},
    ),
    wantCells: ['p', '0/1', 'Init:Error', '0', '5m', ...wideTail],
  },
  {
    name: 'Init:ExitCode:2 and Init:Signal:15 without a reason',
    object: pod(
      'p',
      {phase: 'Pending', ...ip, initContainerStatuses: [terminated({exitCode: 2}, 'i1')]},
      {initContainers: [{name: 'i1'}]},
    ),
    wantCells: ['p', '0/1', 'Init:ExitCode:2', '0', '5m', ...wideTail],
  },
  {
    name: 'Init:CrashLoopBackOff counts the init container restarts',
    object: pod(
      'p',
      {
        phase: 'Pending',
        ...ip,
        initContainerStatuses: [waiting('CrashLoopBackOff', 'i1', 3, ago(40 * S))],
        containerStatuses: [waiting('PodInitializing')],
      },
      {initContainers: [{name: 'i1'}]},
    ),
    wantCells: ['p', '0/1', 'Init:CrashLoopBackOff', '3 (40s ago)', '5m', ...wideTail],
  },
  {
    name: 'Terminating when deleted and not finished',
    object: pod(
      'p',
      {phase: 'Running', ...ip, containerStatuses: [running()]},
      {},
      {deletionTimestamp: ago(10 * S), deletionGracePeriodSeconds: 30},
    ),
    wantCells: ['p', '1/1', 'Terminating', '0', '5m', ...wideTail],
  },
  {
    name: 'a deleted pod that already succeeded stays Completed',
    object: pod(
      'p',
      {phase: 'Succeeded', ...ip, containerStatuses: [terminated({exitCode: 0, reason: 'Completed'})]},
      {},
      {deletionTimestamp: ago(10 * S)},
    ),
    wantCells: ['p', '0/1', 'Completed', '0', '5m', ...wideTail],
    wantConditions: [
      {type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'},
    ],
  },
  {
    name: 'NodeLost with a deletionTimestamp → Unknown',
    object: pod(
      'p',
      {phase: 'Running', reason: 'NodeLost', ...ip, containerStatuses: [running()]},
      {},
      {deletionTimestamp: ago(10 * S)},
    ),
    wantCells: ['p', '1/1', 'Unknown', '0', '5m', ...wideTail],
  },
  {
    name: 'status.reason overrides the phase (Evicted)',
    object: pod('p', {phase: 'Failed', reason: 'Evicted', ...ip}),
    wantCells: ['p', '0/1', 'Evicted', '0', '5m', ...wideTail],
    wantConditions: [{type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.'}],
  },
  {
    name: 'Completed next to a running container without Ready → NotReady',
    object: pod(
      'p',
      {
        phase: 'Running',
        ...ip,
        conditions: [{type: 'Ready', status: 'False'}],
        containerStatuses: [running('a'), terminated({exitCode: 0, reason: 'Completed'}, 'b')],
      },
      {containers: [{name: 'a'}, {name: 'b'}]},
    ),
    wantCells: ['p', '1/2', 'NotReady', '0', '5m', ...wideTail],
  },
  {
    name: 'Completed next to a running container with Ready → Running',
    object: pod(
      'p',
      {
        phase: 'Running',
        ...ip,
        conditions: [{type: 'Ready', status: 'True'}],
        containerStatuses: [running('a'), terminated({exitCode: 0, reason: 'Completed'}, 'b')],
      },
      {containers: [{name: 'a'}, {name: 'b'}]},
    ),
    wantCells: ['p', '1/2', 'Running', '0', '5m', ...wideTail],
  },
  {
    name: 'the first container in spec order wins (statuses walked last to first)',
    object: pod(
      'p',
      {phase: 'Running', ...ip, containerStatuses: [waiting('ErrImagePull', 'a'), waiting('CrashLoopBackOff', 'b')]},
      {containers: [{name: 'a'}, {name: 'b'}]},
    ),
    wantCells: ['p', '0/2', 'ErrImagePull', '0', '5m', ...wideTail],
  },
  {
    name: 'SchedulingGated',
    object: pod(
      'p',
      {phase: 'Pending', conditions: [{type: 'PodScheduled', status: 'False', reason: 'SchedulingGated'}]},
      {nodeName: undefined, schedulingGates: [{name: 'example.com/gate'}]},
    ),
    wantCells: ['p', '0/1', 'SchedulingGated', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'sidecar init containers count as containers and their restarts stay',
    object: pod(
      'p',
      {
        phase: 'Running',
        ...ip,
        conditions: [{type: 'Initialized', status: 'True'}],
        initContainerStatuses: [
          terminated({exitCode: 0, reason: 'Completed'}, 'setup'),
          running('proxy', 1, ago(2 * M)),
        ],
        containerStatuses: [running('app', 2, ago(10 * M))],
      },
      {
        initContainers: [{name: 'setup'}, {name: 'proxy', restartPolicy: 'Always'}],
        containers: [{name: 'app'}],
      },
    ),
    wantCells: ['p', '2/2', 'Running', '3 (2m ago)', '5m', ...wideTail],
  },
  {
    name: 'a regular init container restart is forgotten once initialised',
    object: pod(
      'p',
      {
        phase: 'Running',
        ...ip,
        initContainerStatuses: [{...terminated({exitCode: 0, reason: 'Completed'}, 'i1'), restartCount: 4}],
        containerStatuses: [running()],
      },
      {initContainers: [{name: 'i1'}]},
    ),
    wantCells: ['p', '1/1', 'Running', '0', '5m', ...wideTail],
  },
  {
    name: 'readiness gates, nominated node',
    object: pod(
      'p',
      {
        phase: 'Running',
        ...ip,
        nominatedNodeName: 'node-2',
        conditions: [
          {type: 'example.com/a', status: 'True'},
          {type: 'example.com/b', status: 'False'},
        ],
        containerStatuses: [running()],
      },
      {readinessGates: [{conditionType: 'example.com/a'}, {conditionType: 'example.com/b'}]},
    ),
    wantCells: ['p', '1/1', 'Running', '0', '5m', '10.244.0.5', 'node-1', 'node-2', '1/2'],
  },
  {
    name: 'a pod created in the future by more than a second → <invalid>',
    object: {
      ...pod('p', {phase: 'Pending'}, {nodeName: undefined}),
      metadata: meta('p', {creationTimestamp: ago(-5 * S)}),
    },
    wantCells: ['p', '0/1', 'Pending', '0', '<invalid>', '<none>', '<none>', '<none>', '<none>'],
  },
]

describe('tables: Pod', () => {
  const conv = convertorFor('', 'Pod')
  it('has the nine 1.32 columns, four of them wide', () => {
    assert.deepEqual(
      conv.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Ready', 'string', '', 0],
        ['Status', 'string', '', 0],
        ['Restarts', 'string', '', 0],
        ['Age', 'string', '', 0],
        ['IP', 'string', '', 1],
        ['Node', 'string', '', 1],
        ['Nominated Node', 'string', '', 1],
        ['Readiness Gates', 'string', '', 1],
      ],
    )
  })
  for (const c of cases) {
    it(c.name, () => {
      const [row] = conv.rows(c.object, c.now ?? NOW)
      assert.deepEqual(row.cells, c.wantCells)
      assert.deepEqual(row.conditions, c.wantConditions)
    })
  }
})

describe('tables: PodTemplate', () => {
  it('prints containers, images and pod labels', () => {
    const [row] = convertorFor('', 'PodTemplate').rows(
      {
        metadata: meta('tpl'),
        template: {
          metadata: {labels: {b: '2', a: '1'}},
          spec: {
            containers: [
              {name: 'x', image: 'nginx'},
              {name: 'y', image: 'busybox'},
            ],
          },
        },
      },
      NOW,
    )
    assert.deepEqual(row.cells, ['tpl', 'x,y', 'nginx,busybox', 'a=1,b=2'])
  })
})
