// killercoda.ts is `mkctl lab import killercoda DIR`: a Killercoda scenario (index.json with `details.intro`,
// `details.steps[]` of {title, text, verify, background, foreground}, `details.finish`, as Killercoda documents its
// scenario format; Katacoda's older `code` key is read as `background`) becomes a lab. Steps become tasks (title,
// markdown instructions); a verify script's plain kubectl lines become `script` checks (their exit code decides),
// `kubectl get ... | grep X` and `[ "$(kubectl get ... -o jsonpath=...)" = "v" ]` become `field` checks (or a
// `script` with outputMatches when there is no JSONPath); background/foreground scripts' kubectl lines and
// `kubectl apply -f - <<EOF` documents become setup steps. Whatever else is listed, with file:line, as not converted.
import {existsSync, readFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {stringify} from 'yaml'
import type {CheckSpec, FieldCheck, Lab, SetupStep, Task} from '../types.js'
import {LAB_API_VERSION} from '../types.js'
import {
  kubectlWords,
  parseComparison,
  parseGet,
  parseGrep,
  splitTop,
  stripRedirections,
  type GetCommand,
} from './shell.js'

/** NotConverted is one script line the import could not turn into a check or a setup step. */
export interface NotConverted {
  file: string
  line: number
  text: string
  reason: string
}

/** ImportResult is the lab made from a scenario, its YAML text, and what was left out. */
export interface ImportResult {
  lab: Lab
  yaml: string
  notConverted: NotConverted[]
}

interface StepJson {
  title?: string
  text?: string
  verify?: string
  background?: string
  foreground?: string
  code?: string
  courseData?: string
}

interface IndexJson {
  title?: string
  description?: string
  time?: string
  difficulty?: string
  details?: {intro?: StepJson; steps?: StepJson[]; finish?: StepJson}
}

/** escapeTemplate keeps `{{` literal in a lab's templated text (Go templates in kubectl flags, markdown). */
const escapeTemplate = (s: string) => s.replace(/\{\{/g, '{{ "{{" }}')

/** cleanMarkdown drops Killercoda's code-block actions (`{{exec}}`, `{{copy}}`) and escapes other braces. */
export function cleanMarkdown(md: string): string {
  return escapeTemplate(md.replace(/\{\{\s*(?:exec|execute|copy)(?:\s+[^}]*)?\s*\}\}/g, '')).trim()
}

/** slug makes a DNS label of a title. */
function slug(s: string, fallback: string): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '')
  return out || fallback
}

/** IGNORED are script lines with no meaning for a lab: blank, comments, shebang, `set -e`, a final `exit 0`. */
const IGNORED = /^(?:#.*|set\s+[-+][a-z]+(?:\s+\S+)*|exit\s+0|true|:)?$/

/** lines splits a script into logical lines (trailing `\` joined), with their first line numbers. */
function logicalLines(text: string): {line: number; text: string}[] {
  const out: {line: number; text: string}[] = []
  const raw = text.split(/\r?\n/)
  for (let i = 0; i < raw.length; i++) {
    const start = i
    let s = raw[i]
    while (/\\$/.test(s) && i + 1 < raw.length) s = s.slice(0, -1) + ' ' + raw[++i].trim()
    out.push({line: start + 1, text: s})
  }
  return out
}

/** fieldFrom makes a field check of a parsed `kubectl get` (which must have a JSONPath). */
function fieldFrom(g: GetCommand, cmp: Partial<FieldCheck>): CheckSpec {
  return {
    field: {
      resource: g.resource,
      ...(g.namespace !== undefined ? {namespace: g.namespace} : {}),
      ...(g.selector !== undefined ? {selector: g.selector} : {}),
      jsonpath: g.jsonpath!,
      ...cmp,
    },
  }
}

const escapeRegex = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')

/** convertPart turns one `&&`-free part of a verify line into a check, or says why not. */
function convertPart(part: string): CheckSpec | string {
  const cmd = stripRedirections(part)
  const cmp = parseComparison(cmd)
  if (cmp) {
    const words = kubectlWords(cmp.command)
    const g = words && parseGet(words)
    if (!g?.jsonpath) return 'a comparison of something other than kubectl get -o jsonpath'
    if (cmp.op === '=' || cmp.op === '-eq') return fieldFrom(g, {equals: cmp.value})
    if (cmp.op === '-ge') return fieldFrom(g, {gte: Number(cmp.value)})
    if (cmp.op === '-le') return fieldFrom(g, {lte: Number(cmp.value)})
    if (cmp.op === '-gt') return fieldFrom(g, {gte: Number(cmp.value) + 1})
    return fieldFrom(g, {lte: Number(cmp.value) - 1})
  }
  const pipe = splitTop(cmd, '|')
  if (pipe.length > 2) return 'a pipe of more than kubectl | grep'
  const words = kubectlWords(stripRedirections(pipe[0]))
  if (!words) return /^kubectl\s/.test(pipe[0]) ? 'shell syntax in a kubectl line' : 'not a kubectl command'
  const run = stripRedirections(pipe[0])
  if (pipe.length === 1) return {script: {run}}
  const grep = parseGrep(pipe[1])
  if (!grep) return 'a pipe into something other than a plain grep'
  const g = parseGet(words)
  if (g?.jsonpath) {
    if (grep.how === 'equals') return fieldFrom(g, {equals: grep.pattern})
    if (grep.how === 'contains') return fieldFrom(g, {contains: grep.pattern})
    return fieldFrom(g, {matches: grep.pattern})
  }
  // No JSONPath: the command's output must match, as grep would have it (per line).
  const re =
    grep.how === 'contains'
      ? escapeRegex(grep.pattern)
      : grep.how === 'equals'
        ? `^${escapeRegex(grep.pattern)}$`
        : grep.pattern
  return {script: {run, outputMatches: re}}
}

/** convertVerify turns a verify script into checks. */
export function convertVerify(file: string, text: string): {checks: CheckSpec[]; notConverted: NotConverted[]} {
  const checks: CheckSpec[] = []
  const notConverted: NotConverted[] = []
  for (const {line, text: raw} of logicalLines(text)) {
    const s = raw.trim()
    if (IGNORED.test(s) || /^#!/.test(s)) continue
    const parts = splitTop(s, '&&')
    const converted: CheckSpec[] = []
    let reason: string | undefined
    for (const p of parts) {
      const c = convertPart(p)
      if (typeof c === 'string') {
        reason = c
        break
      }
      converted.push(c)
    }
    if (reason !== undefined) notConverted.push({file, line, text: s, reason})
    else checks.push(...converted)
  }
  return {checks: checks.map(escapeCheck), notConverted}
}

/** escapeCheck keeps `{{` literal in every string of a check (kubectl go-template flags). */
function escapeCheck(c: CheckSpec): CheckSpec {
  return JSON.parse(JSON.stringify(c), (_k, v: unknown) => (typeof v === 'string' ? escapeTemplate(v) : v))
}

/** convertSetup turns a background/foreground script into setup steps. */
export function convertSetup(file: string, text: string): {steps: SetupStep[]; notConverted: NotConverted[]} {
  const steps: SetupStep[] = []
  const notConverted: NotConverted[] = []
  const lines = logicalLines(text)
  for (let i = 0; i < lines.length; i++) {
    const {line, text: raw} = lines[i]
    const s = raw.trim()
    if (IGNORED.test(s) || /^#!/.test(s)) continue
    // `kubectl apply -f - <<EOF` or `cat <<EOF | kubectl apply -f -`: the document becomes an apply step.
    const heredoc = /<<-?\s*['"]?([A-Za-z0-9_]+)['"]?/.exec(s)
    if (heredoc) {
      const body: string[] = []
      let j = i + 1
      for (; j < lines.length && lines[j].text.trim() !== heredoc[1]; j++) body.push(lines[j].text)
      const head = s.replace(heredoc[0], '').trim()
      const pipe = splitTop(head, '|')
      const applies =
        /^kubectl\s+(apply|create)\s+-f\s*-(\s|$)/.test(pipe[pipe.length - 1]) &&
        (pipe.length === 1 || /^cat\s*$/.test(pipe[0]))
      if (applies && j < lines.length) steps.push({apply: escapeTemplate(body.join('\n') + '\n')})
      else notConverted.push({file, line, text: s, reason: 'a here-document not fed to kubectl apply -f -'})
      i = j
      continue
    }
    const cmd = stripRedirections(s)
    const words = kubectlWords(cmd)
    if (!words) {
      notConverted.push({
        file,
        line,
        text: s,
        reason: /^kubectl\s/.test(cmd) ? 'shell syntax in a kubectl line' : 'not a kubectl command',
      })
      continue
    }
    const reads = words.findIndex((w, k) => ['-f', '--filename', '-k'].includes(w) && words[k + 1] !== '-')
    if (reads >= 0 && !/^[a-z]+:\/\//.test(words[reads + 1] ?? '')) {
      notConverted.push({file, line, text: s, reason: 'reads a file of the scenario machine'})
      continue
    }
    steps.push({run: escapeTemplate(cmd)})
  }
  return {steps, notConverted}
}

function readText(dir: string, rel: string | undefined): string | undefined {
  if (!rel) return undefined
  const p = join(dir, rel)
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined
}

/** minutesOf reads Killercoda's `time` ("15m", "15 minutes", "1h"). */
function minutesOf(t: string | undefined): number | undefined {
  const m = /^\s*(\d+)\s*(m|min|mins|minutes?|h|hours?)?\s*$/i.exec(t ?? '')
  if (!m) return undefined
  return /^h/i.test(m[2] ?? '') ? Number(m[1]) * 60 : Number(m[1])
}

/** importKillercoda reads a scenario folder and makes a lab of it. */
export function importKillercoda(dir: string): ImportResult {
  const indexPath = join(dir, 'index.json')
  if (!existsSync(indexPath)) throw new Error(`${indexPath}: no index.json (is this a Killercoda scenario folder?)`)
  let index: IndexJson
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8')) as IndexJson
  } catch (e) {
    throw new Error(`${indexPath}: ${(e as Error).message}`, {cause: e})
  }
  const notConverted: NotConverted[] = []
  const setup: SetupStep[] = []
  const details = index.details ?? {}
  const addSetup = (rel: string | undefined) => {
    const text = readText(dir, rel)
    if (rel && text === undefined) {
      notConverted.push({file: rel, line: 0, text: '', reason: 'file not found'})
      return
    }
    if (!rel || text === undefined) return
    const out = convertSetup(rel, text)
    setup.push(...out.steps)
    notConverted.push(...out.notConverted)
  }
  const intro = details.intro ?? {}
  addSetup(intro.background ?? intro.code)
  addSetup(intro.foreground ?? intro.courseData)
  const instructions: string[] = []
  const introText = readText(dir, intro.text)
  if (introText) instructions.push(cleanMarkdown(introText))
  const tasks: Task[] = []
  for (const [i, step] of (details.steps ?? []).entries()) {
    const n = i + 1
    addSetup(step.background ?? step.code)
    addSetup(step.foreground)
    const title = step.title ?? `Step ${n}`
    const md = readText(dir, step.text)
    const verify = readText(dir, step.verify)
    let checks: CheckSpec[] = []
    if (step.verify && verify === undefined)
      notConverted.push({file: step.verify, line: 0, text: '', reason: 'file not found'})
    if (verify !== undefined && step.verify) {
      const out = convertVerify(step.verify, verify)
      checks = out.checks
      notConverted.push(...out.notConverted)
    }
    if (checks.length === 0) {
      // A task needs a check: a step without one is kept as instructions for the lab.
      notConverted.push({
        file: step.verify ?? 'index.json',
        line: 0,
        text: title,
        reason: `step ${n} has no convertible verify check: its text is kept in the lab's instructions, not as a task`,
      })
      if (md) instructions.push(`## ${escapeTemplate(title)}\n\n${cleanMarkdown(md)}`)
      continue
    }
    const task: Task = {
      name: `step${n}`,
      title: escapeTemplate(title),
      ...(md ? {instructions: cleanMarkdown(md)} : {}),
      points: 1,
      checks,
    }
    tasks.push(task)
  }
  const title = index.title ?? basename(dir)
  const metadata: Lab['metadata'] = {name: slug(title, slug(basename(dir), 'imported')), title: escapeTemplate(title)}
  if (index.description) metadata.description = escapeTemplate(index.description)
  metadata.tags = ['killercoda']
  const minutes = minutesOf(index.time)
  if (minutes !== undefined) metadata.minutes = minutes
  const lab: Lab = {
    apiVersion: LAB_API_VERSION,
    kind: 'Lab',
    metadata,
    ...(instructions.length > 0 ? {instructions: instructions.join('\n\n')} : {}),
    ...(setup.length > 0 ? {setup} : {}),
    tasks,
  }
  const header = `# Imported from the Killercoda scenario ${basename(dir)} by mkctl lab import killercoda.\n`
  return {lab, yaml: header + stringify(lab, {lineWidth: 0}), notConverted}
}

/** formatNotConverted renders the not-converted list, one `file:line: reason: text` per entry. */
export function formatNotConverted(items: NotConverted[]): string {
  return items
    .map((n) => `${n.file}${n.line > 0 ? `:${n.line}` : ''}: ${n.reason}${n.text ? `: ${n.text}` : ''}\n`)
    .join('')
}
