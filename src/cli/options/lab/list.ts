// list.ts holds LabListOptions for `mkctl lab list`: the built-in labs shipped in labs/builtin beside the package,
// then the local labs found in the current folder and ./labs, as a table in the shape of `kubectl get`.
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {UsageError} from '../../errors.js'
import type {IOStreams} from '../../io.js'
import {newGetTabWriter} from '../../printers/tabwriter.js'
import {loadLabFile} from '../../../lab/load.js'
import {maxPoints} from './grade.js'

/** LAB_LIST_OUTPUTS are the values of -o/--output besides the default table. */
export const LAB_LIST_OUTPUTS = ['name', 'json']

/** LabEntry is one listed lab. */
export interface LabEntry {
  name: string
  title: string
  tasks: number
  points: number
  minutes?: number
  /** source is `builtin` or `local`. */
  source: 'builtin' | 'local'
  /** file is the lab file: absolute for built-in labs, relative to the current folder for local ones. */
  file: string
}

/** LabProblem is a file that declares itself a lab but does not load. */
export interface LabProblem {
  file: string
  problems: number
}

/**
 * builtinLabsDir is the folder of the built-in labs: labs/builtin at the package root. From the CLI bundle
 * (dist/mkctl.cjs) that is ../labs/builtin; from the TypeScript sources (src/cli/options/lab/list.ts, under tsx)
 * it is four folders up. Follows how src/lab/engine.ts finds dist/ from the bundle's own location.
 */
export function builtinLabsDir(): string {
  const self = fileURLToPath(import.meta.url)
  return self.endsWith('.ts')
    ? resolve(dirname(self), '..', '..', '..', '..', 'labs', 'builtin')
    : resolve(dirname(self), '..', 'labs', 'builtin')
}

/** LAB_HEAD is how a lab file starts to say what it is; other YAML files (manifests) are skipped without parsing. */
const LAB_KIND = /^kind:\s*["']?Lab["']?\s*(#.*)?$/m
const LAB_API = /^apiVersion:\s*["']?mkctl\.dev\/v1["']?\s*(#.*)?$/m

/** looksLikeLab says whether a file declares `apiVersion: mkctl.dev/v1` and `kind: Lab` at its top level. */
function looksLikeLab(file: string): boolean {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return false
  }
  return LAB_KIND.test(text) && LAB_API.test(text)
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory()
const isFile = (p: string) => existsSync(p) && statSync(p).isFile()
const isYaml = (f: string) => /\.ya?ml$/.test(f)

/** loadEntry loads one lab file into an entry, or says how many problems it has. */
function loadEntry(file: string, shown: string, source: LabEntry['source']): LabEntry | LabProblem {
  const l = loadLabFile(file)
  if (!l.lab) return {file: shown, problems: l.diagnostics.length}
  const m = l.lab.metadata
  return {
    name: m.name,
    title: m.title ?? '',
    tasks: l.lab.tasks.length,
    points: l.lab.tasks.reduce((s, t) => s + maxPoints(t), 0),
    ...(m.minutes !== undefined ? {minutes: m.minutes} : {}),
    source,
    file: shown,
  }
}

/** builtinLabs lists the built-in labs (labs/builtin/<name>/lab.yaml), sorted by name. */
export function builtinLabs(dir = builtinLabsDir()): {labs: LabEntry[]; problems: LabProblem[]} {
  const labs: LabEntry[] = []
  const problems: LabProblem[] = []
  if (!isDir(dir)) return {labs, problems}
  for (const d of readdirSync(dir).sort()) {
    const file = join(dir, d, 'lab.yaml')
    if (!isFile(file)) continue
    const e = loadEntry(file, file, 'builtin')
    if ('name' in e) labs.push(e)
    else problems.push(e)
  }
  labs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return {labs, problems}
}

/**
 * localLabs lists the lab files of a folder: *.yaml and *.yml in it and in its ./labs, and ./labs/<dir>/lab.yaml
 * (the folder form `lab grade` accepts). Only files declaring `apiVersion: mkctl.dev/v1` and `kind: Lab` count, so
 * Kubernetes manifests lying beside them are ignored; labs that do not load are returned as problems.
 */
export function localLabs(cwd: string): {labs: LabEntry[]; problems: LabProblem[]} {
  const candidates: string[] = []
  const yamlIn = (dir: string) =>
    isDir(dir)
      ? readdirSync(dir)
          .filter(isYaml)
          .sort()
          .map((f) => join(dir, f))
          .filter(isFile)
      : []
  candidates.push(...yamlIn(cwd))
  const labsDir = join(cwd, 'labs')
  candidates.push(...yamlIn(labsDir))
  if (isDir(labsDir)) {
    for (const d of readdirSync(labsDir).sort()) {
      const f = join(labsDir, d, 'lab.yaml')
      if (isDir(join(labsDir, d)) && isFile(f)) candidates.push(f)
    }
  }
  const labs: LabEntry[] = []
  const problems: LabProblem[] = []
  for (const file of candidates) {
    if (!looksLikeLab(file)) continue
    const rel = relative(cwd, file)
    const e = loadEntry(file, rel.startsWith('..') ? file : rel, 'local')
    if ('name' in e) labs.push(e)
    else problems.push(e)
  }
  return {labs, problems}
}

/** LabListOptions lists built-in and local labs. */
export class LabListOptions {
  output = ''
  noHeaders = false
  cwd = process.cwd()
  builtinDir = builtinLabsDir()
  constructor(
    readonly io: IOStreams,
    readonly commandPath = 'mkctl lab list',
  ) {}

  validate(args: string[]): void {
    if (args.length > 0) throw new UsageError(`unexpected arguments: ${args.join(' ')}`, this.commandPath)
    if (this.output !== '' && !LAB_LIST_OUTPUTS.includes(this.output)) {
      throw new UsageError(
        `--output must be one of ${LAB_LIST_OUTPUTS.join(', ')}, not "${this.output}"`,
        this.commandPath,
      )
    }
  }

  run(): void {
    const b = builtinLabs(this.builtinDir)
    const l = localLabs(this.cwd)
    const labs = [...b.labs, ...l.labs]
    // A broken lab is reported, not fatal: the others are still worth listing.
    for (const p of [...b.problems, ...l.problems]) {
      this.io.errOut.write(
        `warning: ${p.file} is not a valid lab (${p.problems} problem${p.problems === 1 ? '' : 's'}): run mkctl lab validate ${p.file}\n`,
      )
    }
    if (this.output === 'json') {
      this.io.out.write(JSON.stringify({labs}, null, 2) + '\n')
      return
    }
    if (this.output === 'name') {
      for (const e of labs) this.io.out.write(`${e.source === 'builtin' ? e.name : e.file}\n`)
      return
    }
    if (labs.length === 0) {
      this.io.errOut.write('No labs found\n')
      return
    }
    const w = newGetTabWriter(this.io.out)
    if (!this.noHeaders) w.write('NAME\tTITLE\tTASKS\tPOINTS\tMINUTES\tSOURCE\n')
    for (const e of labs) {
      const source = e.source === 'builtin' ? 'builtin' : e.file
      w.write(`${e.name}\t${e.title || '<none>'}\t${e.tasks}\t${e.points}\t${e.minutes ?? '<none>'}\t${source}\n`)
    }
    w.flush()
  }
}
