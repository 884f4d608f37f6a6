import assert from 'node:assert/strict'
import {
  FieldSet,
  comparePE,
  decodePE,
  encodePE,
  fieldPE,
  keyPE,
  pathString,
  valuePE,
  type FieldPath,
} from '../../../../src/daemon/registry/managedfields/fieldset.js'

const f = fieldPE
const set = (...paths: FieldPath[]) => FieldSet.of(...paths)

describe('managedfields/fieldset', () => {
  describe('path elements', () => {
    it('encode as f:, k: (key fields sorted, Go JSON), v: and i:', () => {
      assert.equal(encodePE(f('spec')), 'f:spec')
      assert.equal(
        encodePE(
          keyPE([
            ['protocol', 'TCP'],
            ['containerPort', 80],
          ]),
        ),
        'k:{"containerPort":80,"protocol":"TCP"}',
      )
      assert.equal(encodePE(valuePE('a<b')), 'v:"a\\u003cb"')
      assert.equal(encodePE({index: 3}), 'i:3')
    })

    it('decode what they encode; unknown types are skipped', () => {
      for (const s of [
        'f:metadata',
        'k:{"name":"nginx"}',
        'k:{"containerPort":80,"protocol":"TCP"}',
        'v:"x"',
        'v:3',
        'i:0',
      ]) {
        assert.equal(encodePE(decodePE(s)!), s)
      }
      assert.equal(decodePE('z:whatever'), undefined)
      assert.throws(() => decodePE('fspec'))
    })

    it('order fields < keys < values < indexes, each by value', () => {
      const pes = [{index: 0}, valuePE('b'), keyPE([['name', 'b']]), f('b'), f('a'), valuePE(1), keyPE([['name', 'a']])]
      assert.deepEqual(pes.sort(comparePE).map(encodePE), [
        'f:a',
        'f:b',
        'k:{"name":"a"}',
        'k:{"name":"b"}',
        'v:1',
        'v:"b"',
        'i:0',
      ])
    })

    it('render paths as upstream Path.String', () => {
      const p: FieldPath = [
        f('spec'),
        f('containers'),
        keyPE([['name', 'nginx']]),
        f('ports'),
        keyPE([
          ['containerPort', 80],
          ['protocol', 'TCP'],
        ]),
      ]
      assert.equal(pathString(p), '.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]')
      assert.equal(pathString([f('metadata'), f('finalizers'), valuePE('a')]), '.metadata.finalizers[="a"]')
    })
  })

  describe('FieldsV1', () => {
    it('serialises in structured-merge-diff order with "." for members that have children', () => {
      const s = set(
        [f('spec'), f('template'), f('spec'), f('containers'), keyPE([['name', 'nginx']])],
        [f('spec'), f('template'), f('spec'), f('containers'), keyPE([['name', 'nginx']]), f('name')],
        [f('spec'), f('template'), f('spec'), f('containers'), keyPE([['name', 'nginx']]), f('image')],
        [f('spec'), f('replicas')],
        [f('metadata'), f('labels'), f('app')],
        [f('metadata'), f('labels')],
      )
      const json = JSON.stringify(s.toFieldsV1())
      assert.equal(
        json,
        '{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{}}}}}}}',
      )
    })

    it('round-trips through fromFieldsV1', () => {
      const v1 = {
        'f:metadata': {'f:annotations': {'.': {}, 'f:a': {}}},
        'f:spec': {'f:ports': {'k:{"port":80,"protocol":"TCP"}': {'.': {}, 'f:port': {}}}, 'f:selector': {}},
      }
      const s = FieldSet.fromFieldsV1(v1)
      assert.deepEqual(s.toFieldsV1(), v1)
      assert.ok(s.has([f('metadata'), f('annotations')]))
      assert.ok(!s.has([f('metadata')]))
      assert.ok(
        s.has([
          f('spec'),
          f('ports'),
          keyPE([
            ['port', 80],
            ['protocol', 'TCP'],
          ]),
        ]),
      )
    })

    it('an empty set is {}', () => {
      assert.deepEqual(new FieldSet().toFieldsV1(), {})
      assert.ok(FieldSet.fromFieldsV1({}).isEmpty())
    })
  })

  describe('set operations', () => {
    const a = set([f('a')], [f('b'), f('c')], [f('b'), f('d')])
    const b = set([f('b'), f('c')], [f('e')])

    it('union, difference, intersection', () => {
      assert.equal(a.union(b).toString(), '.a\n.e\n.b.c\n.b.d')
      assert.equal(a.difference(b).toString(), '.a\n.b.d')
      assert.equal(a.intersection(b).toString(), '.b.c')
      assert.ok(a.difference(a).isEmpty())
    })

    it('a member and a child of the same element are distinct paths', () => {
      const m = set([f('labels')])
      const c = set([f('labels'), f('app')])
      assert.equal(m.difference(c).toString(), '.labels')
      assert.ok(m.intersection(c).isEmpty())
      assert.deepEqual(m.union(c).toFieldsV1(), {'f:labels': {'.': {}, 'f:app': {}}})
    })

    it('operations do not modify their operands', () => {
      const before = a.toString()
      a.union(b)
      a.difference(b)
      assert.equal(a.toString(), before)
    })
  })
})
