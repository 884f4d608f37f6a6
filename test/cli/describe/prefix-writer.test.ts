// prefix-writer.test.ts checks the writer every describer prints through: indentation levels, kubectl describe's
// elastic tab alignment, flushing between sections, terminal escaping; and the small helpers next to it.
import assert from 'node:assert/strict'
import {
  LEVEL_0,
  LEVEL_1,
  LEVEL_2,
  NestedPrefixWriter,
  tabbedString,
  tabbedStringSync,
} from '../../../src/cli/describe/prefix-writer.js'
import {goSort} from '../../../src/cli/describe/gosort.js'
import {smartLabelFor} from '../../../src/cli/describe/generic.js'
import {printAnnotationsMultiline, printLabelsMultiline} from '../../../src/cli/describe/format.js'

describe('describe prefix writer', () => {
  it('indents by two spaces per level and aligns cells with padding 2', () => {
    const s = tabbedStringSync((w) => {
      w.write(LEVEL_0, 'Name:\tweb\n')
      w.write(LEVEL_0, 'Namespace:\tdefault\n')
      w.write(LEVEL_1, 'Type:\tx\n')
    })
    assert.equal(s, 'Name:       web\nNamespace:  default\n  Type:     x\n')
  })

  it('aligns only consecutive lines that have the column (elastic tabstops)', () => {
    const s = tabbedStringSync((w) => {
      w.write(LEVEL_0, 'A:\t1\n')
      w.write(LEVEL_0, 'Containers:\n')
      w.write(LEVEL_2, 'Image:\tnginx\n')
      w.write(LEVEL_2, 'Restart Count:\t0\n')
    })
    assert.equal(s, 'A:  1\nContainers:\n    Image:          nginx\n    Restart Count:  0\n')
  })

  it('flush ends a section so later rows do not widen earlier ones', () => {
    const s = tabbedStringSync((w) => {
      w.write(LEVEL_0, 'Name:\tx\n')
      w.flush()
      w.write(LEVEL_0, 'A much longer label:\ty\n')
    })
    assert.equal(s, 'Name:  x\nA much longer label:  y\n')
  })

  it('nested writers add levels, writeLine writes at the nested level', async () => {
    const s = await tabbedString((w) => {
      const n = new NestedPrefixWriter(w, LEVEL_2)
      n.write(LEVEL_0, 'StorageClass:\tfast\n')
      n.writeLine('done')
    })
    assert.equal(s, '    StorageClass:  fast\n    done\n')
  })

  it('escapes terminal control characters', () => {
    const s = tabbedStringSync((w) => w.write(LEVEL_0, 'Message:\tred\x1b[31m\r\n'))
    assert.equal(s, 'Message:  red^[[31m\\r\n')
  })

  it('prints labels sorted and <none> for none', () => {
    const s = tabbedStringSync((w) => {
      printLabelsMultiline(w, 'Labels', {b: '2', a: '1'})
      printLabelsMultiline(w, 'Selectors', {})
    })
    assert.equal(s, 'Labels:     a=1\n            b=2\nSelectors:  <none>\n')
  })

  it('puts long annotations on their own line and hides last-applied', () => {
    const long = 'v'.repeat(150)
    const s = tabbedStringSync((w) =>
      printAnnotationsMultiline(w, 'Annotations', {
        k: long,
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
      }),
    )
    assert.equal(s, `Annotations:  k:\n                ${'v'.repeat(138)}...\n`)
  })
})

describe('goSort', () => {
  it('sorts like any sort for distinct keys', () => {
    let seed = 7
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31)
    for (const n of [0, 1, 5, 12, 13, 40, 60, 200]) {
      const xs = Array.from({length: n}, () => rnd())
      assert.deepEqual(
        goSort(xs, (a, b) => a < b),
        [...xs].sort((a, b) => a - b),
      )
    }
  })

  it('keeps the order of equal keys up to 12 elements (insertion sort)', () => {
    const xs = Array.from({length: 12}, (_, i) => ({k: i % 2, i}))
    const got = goSort(xs, (a, b) => a.k < b.k).map((x) => x.i)
    assert.deepEqual(got, [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11])
  })

  it('leaves all-equal slices of any length as they are', () => {
    const xs = Array.from({length: 30}, (_, i) => i)
    assert.deepEqual(
      goSort(xs, () => false),
      xs,
    )
  })
})

describe('smartLabelFor', () => {
  const cases: [string, string][] = [
    ['apiVersion', 'API Version'],
    ['replicas', 'Replicas'],
    ['podIP', 'Pod IP'],
    ['holderIdentity', 'Holder Identity'],
    ['v1beta1', 'v1beta1'],
    ['leaseDurationSeconds', 'Lease Duration Seconds'],
  ]
  for (const [field, want] of cases) it(`${field} → ${want}`, () => assert.equal(smartLabelFor(field), want))
})
