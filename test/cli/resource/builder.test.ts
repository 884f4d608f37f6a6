import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {RESOURCES} from '../../../src/api/resources.js'
import {MultiError} from '../../../src/cli/errors.js'
import {
  Builder,
  finalError,
  GoAggregate,
  resourcePath,
  splitDocuments,
  type MapperLike,
} from '../../../src/cli/resource/builder.js'
import {modifiedConfiguration} from '../../../src/cli/resource/last-applied.js'
import {dryRunStrategy, validationDirective} from '../../../src/cli/resource/openapi.js'

const mapper: MapperLike = {
  async kindFor(apiVersion, kind) {
    const r = RESOURCES.find((x) => (x.group ? `${x.group}/${x.version}` : x.version) === apiVersion && x.kind === kind)
    if (!r) throw new Error(`no matches for kind "${kind}" in version "${apiVersion}"`)
    return r
  },
  async resourceFor(arg) {
    const r = RESOURCES.find((x) => x.plural === arg || x.shortNames.includes(arg))
    if (!r) throw new Error(`the server doesn't have a resource type "${arg}"`)
    return r
  },
  async expand(arg) {
    return [await this.resourceFor(arg)]
  },
}

describe('resource builder', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mkctl-builder-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('splits YAML documents on --- lines, counting error lines per document', () => {
    assert.deepEqual(
      splitDocuments('a: 1\n---\nb: 2\n--- # c\nc: 3\n').map((d) => d.text),
      ['a: 1', 'b: 2', 'c: 3\n'],
    )
    assert.equal(splitDocuments('  {"a": 1}')[0].json, true)
  })

  it('streams objects, then the error that ended a file, and defaults the namespace', async () => {
    const f = join(dir, 'f.yaml')
    writeFileSync(
      f,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Foo\nmetadata:\n  name: b\n---\nx: [\n',
    )
    const b = new Builder({mapper: async () => mapper, namespace: 'ns1', enforceNamespace: false, filenames: [f]})
    b.prepare()
    const items = []
    for await (const it of b.visit()) items.push(it)
    assert.equal(items.length, 3)
    assert.ok(
      'info' in items[0] && items[0].info.namespace === 'ns1' && items[0].info.object.metadata?.namespace === 'ns1',
    )
    assert.ok(
      'error' in items[1] &&
        /^resource mapping not found for name: "b" namespace: "" from ".*f.yaml": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first$/.test(
          items[1].error.message,
        ),
    )
    assert.ok(
      'error' in items[2] &&
        items[2].error instanceof GoAggregate &&
        /^error parsing .*f.yaml: error converting YAML to JSON: yaml: line 1: /.test(items[2].error.message),
    )
  })

  it('rejects a namespace that differs from an explicit -n', async () => {
    const f = join(dir, 'f.yaml')
    writeFileSync(f, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: a\n')
    const b = new Builder({mapper: async () => mapper, namespace: 'b', enforceNamespace: true, filenames: [f]})
    b.prepare()
    const {infos, error} = await b.infos()
    assert.equal(infos.length, 0)
    assert.equal(
      error?.message,
      `the namespace from the provided object "a" does not match the namespace "b". You must pass '--namespace=a' to perform this operation.`,
    )
  })

  it('reads directories in lexical order, descending only with -R', async () => {
    mkdirSync(join(dir, 'sub'))
    const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n`
    writeFileSync(join(dir, 'b.yaml'), cm('b'))
    writeFileSync(join(dir, 'a.json'), JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'a'}}))
    writeFileSync(join(dir, 'x.txt'), cm('x'))
    writeFileSync(join(dir, 'sub', 'c.yml'), cm('c'))
    const names = async (recursive: boolean) => {
      const b = new Builder({
        mapper: async () => mapper,
        namespace: 'd',
        enforceNamespace: false,
        filenames: [dir],
        recursive,
      })
      b.prepare()
      return (await b.infos()).infos.map((i) => i.name)
    }
    assert.deepEqual(await names(false), ['a', 'b'])
    assert.deepEqual(await names(true), ['a', 'b', 'c'])
  })

  it('reports missing paths and argument mistakes before visiting', () => {
    const mk = (o: object) => new Builder({mapper: async () => mapper, namespace: 'd', enforceNamespace: false, ...o})
    assert.throws(() => mk({filenames: ['/nope/x.yaml']}).prepare(), {
      message: 'the path "/nope/x.yaml" does not exist',
    })
    assert.throws(() => mk({filenames: ['/nope/1', '/nope/2']}).prepare(), MultiError)
    assert.throws(() => mk({}).prepare(), {message: /^You must provide one or more resources by argument or filename/})
    assert.throws(() => mk({args: ['pods', 'pods/x']}).prepare(), {
      message: /there is no need to specify a resource type/,
    })
    assert.throws(() => mk({args: ['a/b/c']}).prepare(), {
      message: 'arguments in resource/name form may not have more than one slash',
    })
    assert.throws(() => mk({args: ['pods', 'x'], labelSelector: 'a=b'}).prepare(), {
      message: 'name cannot be provided when a selector is specified',
    })
    assert.throws(() => mk({args: ['pods'], selectAll: true, labelSelector: 'a'}).prepare(), {
      message: "setting 'all' parameter but found a non empty selector. ",
    })
  })

  it('expands TYPE1,TYPE2 NAME into type/name pairs', async () => {
    const b = new Builder({
      mapper: async () => mapper,
      namespace: 'd',
      enforceNamespace: false,
      args: ['pods,services', 'a', 'b'],
    })
    b.prepare()
    const {infos} = await b.infos()
    assert.deepEqual(
      infos.map((i) => `${i.mapping.plural}/${i.name}`),
      ['pods/a', 'pods/b', 'services/a', 'services/b'],
    )
    assert.equal(resourcePath(infos[0].mapping, 'd', 'a'), '/api/v1/namespaces/d/pods/a')
  })

  it('finalError unwraps one error and lists several', () => {
    const a = new Error('a')
    assert.equal(finalError([]), undefined)
    assert.equal(finalError([new GoAggregate([a])]), a)
    assert.ok(finalError([a, new GoAggregate([new Error('b'), new Error('c')])]) instanceof MultiError)
    assert.equal(new GoAggregate([new Error('b'), new Error('c')]).message, '[b, c]')
  })
})

describe('last-applied and flag parsing', () => {
  it('encodes the configuration as kubectl does', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'a', annotations: {'kubectl.kubernetes.io/last-applied-configuration': 'old'}},
      data: {x: '<'},
    }
    assert.equal(
      modifiedConfiguration(obj, false),
      '{"apiVersion":"v1","data":{"x":"\\u003c"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"a"}}\n',
    )
    const annotated = JSON.parse(modifiedConfiguration(obj, true)) as {metadata: {annotations: Record<string, string>}}
    assert.equal(
      annotated.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'],
      modifiedConfiguration(obj, false),
    )
  })

  it('parses --validate and --dry-run', () => {
    assert.equal(validationDirective('true'), 'Strict')
    assert.equal(validationDirective('false'), 'Ignore')
    assert.equal(validationDirective('warn'), 'Warn')
    assert.throws(() => validationDirective('x'), {
      message: 'invalid - validate option "x"; must be one of: strict (or true), warn, ignore (or false)',
    })
    assert.equal(dryRunStrategy('server'), 'server')
    assert.equal(dryRunStrategy('unchanged'), 'client')
    assert.throws(() => dryRunStrategy('x'), {
      message: 'Invalid dry-run value (x). Must be "none", "server", or "client".',
    })
  })
})
