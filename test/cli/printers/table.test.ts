import assert from 'node:assert/strict'

import {formatCell, printTable, TablePrinter, type Table} from '../../../src/cli/printers/table.js'
import {newDescribeTabWriter, newGetTabWriter, runeCount} from '../../../src/cli/printers/tabwriter.js'

function collect() {
  const c = {
    text: '',
    write(s: string) {
      c.text += s
    },
  }
  return c
}

const podColumns = [
  {name: 'Name', type: 'string', format: 'name', priority: 0},
  {name: 'Ready', type: 'string', format: '', priority: 0},
  {name: 'Status', type: 'string', format: '', priority: 0},
  {name: 'Restarts', type: 'string', format: '', priority: 0},
  {name: 'Age', type: 'string', format: '', priority: 0},
  {name: 'IP', type: 'string', format: '', priority: 1},
  {name: 'Node', type: 'string', format: '', priority: 1},
]

function pod(name: string, ns: string, labels: Record<string, string>, cells: unknown[]) {
  return {cells: [name, ...cells], object: {kind: 'PartialObjectMetadata', metadata: {name, namespace: ns, labels}}}
}

const pods: Table = {
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  columnDefinitions: podColumns,
  rows: [
    pod('web-1', 'default', {app: 'web', tier: 'fe'}, ['1/1', 'Running', 0, '5m', '10.244.0.10', 'mkctl']),
    pod('db-0', 'prod', {}, ['0/1', 'CrashLoopBackOff', 12, '3h5m', '10.244.1.7', 'mkctl-m02']),
  ],
}

function render(table: Table, opts: Parameters<typeof printTable>[1]): string {
  const out = collect()
  printTable(structuredClone(table), opts, out)
  return out.text
}

describe('tabwriter', () => {
  it('pads kubectl get columns to the widest cell plus 3, minimum 6, last cell unpadded', () => {
    const out = collect()
    const w = newGetTabWriter(out)
    w.write('NAME\tREADY\tAGE\nab\t1/1\t5m\n')
    w.flush()
    assert.equal(out.text, 'NAME   READY   AGE\nab     1/1     5m\n')
  })

  it('aligns only consecutive lines that share a column (elastic blocks, describe settings)', () => {
    const out = collect()
    const w = newDescribeTabWriter(out)
    w.write('a\tbbbbbb\tc\naaa\td\ne\tf\tg\n')
    w.flush()
    assert.equal(out.text, 'a    bbbbbb  c\naaa  d\ne    f  g\n')
  })

  it('ends a block at a line without tabs', () => {
    const out = collect()
    const w = newDescribeTabWriter(out)
    w.write('Name:\tweb\nLabels:\tapp=web\n\ttier=fe\nEvents:\n  Type\tReason\n  ----\t------\n')
    w.flush()
    assert.equal(
      out.text,
      'Name:    web\nLabels:  app=web\n         tier=fe\nEvents:\n  Type  Reason\n  ----  ------\n',
    )
  })

  it('remembers widths across flushes so watch output never shrinks', () => {
    const out = collect()
    const w = newGetTabWriter(out)
    w.write('NAME\tAGE\nab\t1s\n')
    w.flush()
    w.write('abcdefghij\t2s\n')
    w.flush()
    w.write('x\t3s\n')
    w.flush()
    assert.equal(out.text, 'NAME   AGE\nab     1s\nabcdefghij   2s\nx            3s\n')
    assert.deepEqual(w.rememberedWidths(), [13])
  })

  it('counts code points, not UTF-16 units or display cells', () => {
    assert.equal(runeCount('a😀é'), 3)
    const out = collect()
    const w = newGetTabWriter(out)
    w.write('😀😀😀😀😀\tx\nab\ty\n')
    w.flush()
    assert.equal(out.text, '😀😀😀😀😀   x\nab      y\n')
  })
})

describe('table printer', () => {
  it('prints upper-case headers and hides priority columns', () => {
    assert.equal(
      render(pods, {}),
      'NAME    READY   STATUS             RESTARTS   AGE\n' +
        'web-1   1/1     Running            0          5m\n' +
        'db-0    0/1     CrashLoopBackOff   12         3h5m\n',
    )
  })

  it('shows priority columns with wide', () => {
    assert.equal(
      render(pods, {wide: true}),
      'NAME    READY   STATUS             RESTARTS   AGE    IP            NODE\n' +
        'web-1   1/1     Running            0          5m     10.244.0.10   mkctl\n' +
        'db-0    0/1     CrashLoopBackOff   12         3h5m   10.244.1.7    mkctl-m02\n',
    )
  })

  it('adds NAMESPACE first, -L columns and LABELS last', () => {
    assert.equal(
      render(pods, {
        withNamespace: true,
        showLabels: true,
        columnLabels: ['app.kubernetes.io/tier', 'app'],
        noHeaders: false,
      }),
      'NAMESPACE   NAME    READY   STATUS             RESTARTS   AGE    TIER   APP   LABELS\n' +
        'default     web-1   1/1     Running            0          5m            web   app=web,tier=fe\n' +
        'prod        db-0    0/1     CrashLoopBackOff   12         3h5m                <none>\n',
    )
  })

  it('prefixes the name column with the kind', () => {
    const t: Table = {
      columnDefinitions: [
        {name: 'Name', type: 'string', format: 'name'},
        {name: 'Ready', type: 'string'},
      ],
      rows: [{cells: ['web', '3/3'], object: {metadata: {}}}],
    }
    assert.equal(
      render(t, {withKind: true, kind: {group: 'apps', kind: 'Deployment'}}),
      'NAME                  READY\ndeployment.apps/web   3/3\n',
    )
    assert.equal(
      render(t, {withKind: true, kind: {group: '', kind: 'Service'}, noHeaders: true}),
      'service/web   3/3\n',
    )
  })

  it('prints nothing, not even headers, for a table without rows', () => {
    assert.equal(render({columnDefinitions: podColumns, rows: []}, {}), '')
  })

  it('prints headers once across watch events with the same columns', () => {
    const out = collect()
    const p = new TablePrinter({}, newGetTabWriter(out))
    p.print(structuredClone(pods))
    p.flush()
    p.print({columnDefinitions: [], rows: [pod('web-2', 'default', {}, ['0/1', 'Pending', 0, '0s'])]})
    p.flush()
    p.print(
      {columnDefinitions: podColumns, rows: [pod('a-much-longer-name', 'default', {}, ['1/1', 'Running', 0, '1s'])]},
      'ADDED',
    )
    p.flush()
    assert.equal(
      out.text,
      'NAME    READY   STATUS             RESTARTS   AGE\n' +
        'web-1   1/1     Running            0          5m\n' +
        'db-0    0/1     CrashLoopBackOff   12         3h5m\n' +
        'web-2   0/1     Pending            0          0s\n' +
        // widths remembered from the first table: columns only grow
        'ADDED      a-much-longer-name   1/1                Running    0     1s\n',
    )
  })

  const cells: {cell: unknown; want: string}[] = [
    {cell: null, want: ''},
    {cell: 'a\nb', want: 'a...'},
    {cell: 'a\rb', want: 'a...'},
    {cell: 'esc\x1b[31m', want: 'esc^[[31m'},
    {cell: 3, want: '3'},
    {cell: 1.5, want: '1.5'},
    {cell: 1234567.5, want: '1.2345675e+06'},
    {cell: true, want: 'true'},
    {cell: ['a', 'b'], want: '[a b]'},
    {cell: {b: 1, a: 'x'}, want: 'map[a:x b:1]'},
  ]
  for (const c of cells)
    it(`formats cell ${JSON.stringify(c.cell)} as ${JSON.stringify(c.want)}`, () =>
      assert.equal(formatCell(c.cell), c.want))
})
