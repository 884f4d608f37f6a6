// chain.ts keeps the lab journal as a hash-chained JSON-lines file: each line holds its sequence number, the sha256
// of the previous line's text and the sha256 of its own content, so editing a line, removing one or reordering
// them breaks the chain where it happened (the scheme of a transparency log, without the tree). Removing lines
// from the end leaves a valid shorter chain: the daemon keeps the head (sequence and hash of the last line) in the
// store beside it, and verifyJournal compares.
import {createHash} from 'node:crypto'
import {appendFileSync, existsSync, mkdirSync, readFileSync} from 'node:fs'
import {dirname} from 'node:path'
import type {AuditEvent, JournalCheck, JournalLine} from '../../api/journal.js'

/** GENESIS is the `prev` of the first line. */
export const GENESIS = '0'.repeat(64)

/** sha256 is the hex sha256 of a text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** lineHash is the hash a line carries for its own content. */
export function lineHash(seq: number, prev: string, event: AuditEvent): string {
  return sha256(`${seq}\n${prev}\n${JSON.stringify(event)}`)
}

/** JournalHead is the sequence number and hash of the last line, kept apart from the file. */
export interface JournalHead {
  seq: number
  hash: string
}

/** verifyJournal checks a journal's text line by line, and its length against a head kept elsewhere. */
export function verifyJournal(text: string, head?: JournalHead): JournalCheck & {events: AuditEvent[]} {
  const problems: string[] = []
  const events: AuditEvent[] = []
  let prevText: string | undefined
  let lastHash = GENESIS
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  lines.forEach((raw, i) => {
    const at = `line ${i + 1}`
    let line: JournalLine
    try {
      line = JSON.parse(raw) as JournalLine
    } catch {
      problems.push(`${at}: not a JSON object`)
      prevText = raw
      return
    }
    const wantPrev = prevText === undefined ? GENESIS : sha256(prevText)
    if (line.seq !== i + 1)
      problems.push(`${at}: sequence number ${String(line.seq)}, want ${i + 1} (a line was removed or moved)`)
    if (line.prev !== wantPrev)
      problems.push(`${at}: does not follow the line before it (a line was changed, removed or moved)`)
    if (line.hash !== lineHash(line.seq, line.prev, line.event))
      problems.push(`${at}: its content does not match its hash (the line was edited)`)
    if (line.event) events.push(line.event)
    prevText = raw
    lastHash = line.hash
  })
  if (head && head.seq > 0) {
    if (lines.length < head.seq)
      problems.push(
        `the journal has ${lines.length} lines but ${head.seq} were written (lines were removed at the end)`,
      )
    else if (lines.length === head.seq && lastHash !== head.hash)
      problems.push(`line ${lines.length}: is not the last line the daemon wrote`)
  }
  return {ok: problems.length === 0, lines: lines.length, head: lastHash, problems, events}
}

/** JournalFile appends events to a chained journal; without a path it keeps the lines in memory (tests). */
export class JournalFile {
  private lastText: string | undefined
  private seq = 0
  private memory: string[] = []

  constructor(
    readonly path: string | undefined,
    private readonly onAppend: (head: JournalHead) => void = () => {},
  ) {
    if (path && existsSync(path)) {
      const lines = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
      this.seq = lines.length
      this.lastText = lines[lines.length - 1]
    }
  }

  /** append writes one event as the next line and returns the line. */
  append(event: AuditEvent): JournalLine {
    const seq = this.seq + 1
    const prev = this.lastText === undefined ? GENESIS : sha256(this.lastText)
    const line: JournalLine = {seq, prev, hash: lineHash(seq, prev, event), event}
    const text = JSON.stringify(line)
    if (this.path) {
      mkdirSync(dirname(this.path), {recursive: true})
      appendFileSync(this.path, text + '\n', {mode: 0o600})
    } else this.memory.push(text)
    this.seq = seq
    this.lastText = text
    this.onAppend({seq, hash: line.hash})
    return line
  }

  /** text is the journal's current text (the file as it is on disk now, edits included). */
  text(): string {
    if (!this.path) return this.memory.map((l) => l + '\n').join('')
    return existsSync(this.path) ? readFileSync(this.path, 'utf8') : ''
  }
}
