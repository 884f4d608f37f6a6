// generate-name.test.ts: metadata.generateName as the 1.32 apiserver handles it (RetryGenerateName): a generated
// name that is already taken is drawn again, up to 8 attempts, before the create fails with AlreadyExists.
import assert from 'node:assert/strict'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import {resolveResource} from '../../../src/daemon/controllers/framework/informer.js'
import {StatusError} from '../../../src/api/errors.js'

const cm = (meta: Record<string, string>) => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: meta})

describe('generateName', () => {
  let f: Fixture
  beforeEach(() => (f = fixture()))
  afterEach(() => f.stop())

  it('draws another name when the generated one is taken, and gives up after 8 attempts', () => {
    const r = resolveResource(f.cluster.resources(), 'configmaps')
    const ids = f.cluster.ids as {nameSuffix: () => string}
    f.cluster.registry.create(r, 'default', cm({name: 'gen-aaaaa'}))
    const draws: string[] = []
    const queue = ['aaaaa', 'aaaaa', 'bbbbb']
    ids.nameSuffix = () => {
      const s = queue.shift() ?? 'aaaaa'
      draws.push(s)
      return s
    }
    const made = f.cluster.registry.create(r, 'default', cm({generateName: 'gen-'}))
    assert.equal(made.metadata?.name, 'gen-bbbbb')
    assert.deepEqual(draws, ['aaaaa', 'aaaaa', 'bbbbb'])

    draws.length = 0
    assert.throws(
      () => f.cluster.registry.create(r, 'default', cm({generateName: 'gen-'})),
      (e: unknown) => e instanceof StatusError && e.status.reason === 'AlreadyExists',
    )
    assert.equal(draws.length, 8)
    // A name given outright is never replaced.
    assert.throws(
      () => f.cluster.registry.create(r, 'default', cm({name: 'gen-aaaaa'})),
      (e: unknown) => e instanceof StatusError && e.status.code === 409,
    )
  })
})
