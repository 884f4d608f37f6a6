// command-table.test.ts checks that the lazy command table scripts/build.mjs generates for the CLI bundle (read from
// commands-index.ts as text by src/cli/startup/command-table.ts) is the real table: the same ids in the same order,
// each naming the module export that holds the same class, with the same aliases; and that the built bundle starts
// a command without evaluating the other command modules.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {COMMANDS} from '../../../src/cli/commands-index.js'
import {commandTable, lazyModuleSource} from '../../../src/cli/startup/command-table.js'
import {ALIASES} from '../../../src/cli/startup/lazy-commands.js'
import {canonicalId, commandIds, oclifCommands} from '../../../src/cli/bundle-entry.js'
import {ensureBuilt} from '../../helpers/build.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const INDEX = join(ROOT, 'src/cli/commands-index.ts')

describe('startup command table', () => {
  it('lists every id of commands-index.ts in order, each with its class and aliases', async () => {
    const t = commandTable(INDEX)
    assert.ok(!('error' in t), 'error' in t ? t.error : '')
    assert.deepEqual(
      t.entries.map((e) => e.id),
      Object.keys(COMMANDS),
    )
    // classes compare by identity within one module system: load the index the way the entries are loaded
    const url = (f: string) => pathToFileURL(f.replace(/\.ts$/, '.js')).href
    const real = ((await import(url(INDEX))) as {COMMANDS: typeof COMMANDS}).COMMANDS
    for (const e of t.entries) {
      const mod = (await import(url(e.file))) as Record<string, unknown>
      assert.equal(mod[e.exportName], real[e.id], `${e.id}: ${e.file} ${e.exportName}`)
      assert.deepEqual(e.aliases, [...(COMMANDS[e.id]!.aliases ?? [])], `${e.id} aliases`)
    }
    assert.ok(t.files.includes(INDEX))
  })

  it('generates getters that load a command once, and the source table has the same aliases', () => {
    const t = commandTable(INDEX)
    assert.ok(!('error' in t))
    const text = lazyModuleSource(t.entries)
    // evaluate the generated module with a counting require
    const loads: string[] = []
    const require = (f: string) => {
      loads.push(f)
      return {default: `class of ${f}`, CompleteNoDesc: `named of ${f}`}
    }
    const body = text.replace(/^export const (\w+) =/gm, 'exports.$1 =')
    const exports: Record<string, any> = {}
    new Function('require', 'exports', body)(require, exports)
    assert.deepEqual(Object.keys(exports.COMMANDS), Object.keys(COMMANDS))
    assert.deepEqual(loads, [], 'nothing loads before a lookup')
    const get = t.entries.find((e) => e.id === 'get')!
    assert.equal(exports.COMMANDS.get, `class of ${get.file}`)
    assert.equal(exports.COMMANDS.get, `class of ${get.file}`)
    assert.deepEqual(loads, [get.file], 'one load, then the value is kept')
    assert.deepEqual(exports.ALIASES, ALIASES)
    assert.equal(exports.LAZY, true)
  })

  it('reports a table it cannot read instead of guessing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mkctl-table-'))
    try {
      mkdirSync(join(dir, 'commands'))
      writeFileSync(join(dir, 'commands', 'a.ts'), 'export default class A {}\n')
      writeFileSync(
        join(dir, 'index.ts'),
        "import A from './commands/a.js'\nexport const COMMANDS = {a: A, b: make()}\n",
      )
      const t = commandTable(join(dir, 'index.ts'))
      assert.ok('error' in t && /cannot read table line: b: make\(\)/.test(t.error))
      writeFileSync(
        join(dir, 'index.ts'),
        "import A from './commands/a.js'\nexport const COMMANDS = {a: A, 'x:y': A}\n",
      )
      const ok = commandTable(join(dir, 'index.ts'))
      assert.ok(!('error' in ok))
      assert.deepEqual(
        ok.entries.map((e) => [e.id, e.exportName]),
        [
          ['a', 'default'],
          ['x:y', 'default'],
        ],
      )
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('hands oclif only the command that runs, under its own id for an alias', () => {
    assert.deepEqual(Object.keys(oclifCommands('get')), ['get'])
    assert.equal(oclifCommands('get').get, COMMANDS.get)
    assert.equal(canonicalId('top:pods'), 'top:pod')
    assert.deepEqual(Object.keys(oclifCommands('top:pods')), ['top:pod'])
    assert.deepEqual(Object.keys(oclifCommands(undefined)), Object.keys(COMMANDS))
    assert.ok(commandIds().includes('config:use'))
  })
})

describe('startup of the built CLI bundle', function () {
  this.timeout(120_000)
  before(() => ensureBuilt())

  it('has the generated lazy table and hands oclif only the command that runs', () => {
    const probe = String.raw`
      const {loadBundle} = require(${JSON.stringify(join(ROOT, 'bin/load-bundle.js'))})
      const cli = loadBundle(${JSON.stringify(join(ROOT, 'dist/mkctl.cjs'))})
      cli.main(['version', '--client']).then(() => {
        const t = require(${JSON.stringify(join(ROOT, 'dist/mkctl.cjs'))})
        process.stderr.write(JSON.stringify({lazy: t.LAZY, oclif: Object.keys(t.COMMANDS)}) + '\n')
      })
    `
    const home = mkdtempSync(join(tmpdir(), 'mkctl-startup-'))
    try {
      const r = spawnSync(process.execPath, ['-e', probe], {
        encoding: 'utf8',
        env: {...process.env, MKCTL_HOME: home, KUBECONFIG: join(home, 'none')},
      })
      assert.equal(r.status, 0, r.stderr)
      assert.match(r.stdout, /Client Version/)
      assert.deepEqual(JSON.parse(r.stderr.trim().split('\n').pop()!), {lazy: true, oclif: ['version']})
    } finally {
      rmSync(home, {recursive: true, force: true})
    }
  })
})
