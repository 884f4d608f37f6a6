// chain.test.ts: the journal's hash chain holds for an intact file and breaks, at the right line, for every kind
// of tampering a student could try with an editor: a changed line, a changed line with its own hash recomputed, a
// removed line, swapped lines, and lines cut from the end (caught by the head kept apart).
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {JournalFile, lineHash, sha256, verifyJournal, type JournalHead} from '../../../src/daemon/journal/chain.js'
import type {AuditEvent, JournalLine} from '../../../src/api/journal.js'

function event(i: number): AuditEvent {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Request',
    auditID: `id-${i}`,
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/shop/pods/p${i}`,
    verb: 'delete',
    user: {username: 'kubernetes-admin'},
    requestReceivedTimestamp: '2025-01-01T00:00:00Z',
    stageTimestamp: '2025-01-01T00:00:00Z',
  }
}

describe('journal hash chain', () => {
  let dir: string
  let path: string
  let head: JournalHead | undefined
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mkctl-journal-'))
    path = join(dir, 'journal.jsonl')
    const j = new JournalFile(path, (h) => (head = h))
    for (let i = 1; i <= 5; i++) j.append(event(i))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))
  const lines = () => readFileSync(path, 'utf8').split('\n').filter(Boolean)
  const save = (ls: string[]) => writeFileSync(path, ls.map((l) => l + '\n').join(''))

  it('verifies an intact journal, its head and its events', () => {
    const v = verifyJournal(readFileSync(path, 'utf8'), head)
    assert.deepEqual(v.problems, [])
    assert.equal(v.ok, true)
    assert.equal(v.lines, 5)
    assert.equal(v.head, head!.hash)
    assert.deepEqual(
      v.events.map((e) => e.auditID),
      ['id-1', 'id-2', 'id-3', 'id-4', 'id-5'],
    )
  })

  it('chains each line to the text of the one before', () => {
    const ls = lines()
    const second = JSON.parse(ls[1]) as JournalLine
    assert.equal(second.prev, sha256(ls[0]))
    assert.equal(second.hash, lineHash(2, second.prev, second.event))
  })

  it('detects an edited line', () => {
    const ls = lines()
    save(ls.map((l, i) => (i === 2 ? l.replace('/pods/p3', '/pods/px') : l)))
    const v = verifyJournal(readFileSync(path, 'utf8'), head)
    assert.equal(v.ok, false)
    assert.deepEqual(v.problems, [
      'line 3: its content does not match its hash (the line was edited)',
      'line 4: does not follow the line before it (a line was changed, removed or moved)',
    ])
  })

  it('detects an edited line whose own hash was recomputed, at the next line', () => {
    const ls = lines()
    const l3 = JSON.parse(ls[2]) as JournalLine
    l3.event.requestURI = '/api/v1/namespaces/shop/pods/px'
    l3.hash = lineHash(l3.seq, l3.prev, l3.event)
    ls[2] = JSON.stringify(l3)
    save(ls)
    const v = verifyJournal(readFileSync(path, 'utf8'), head)
    assert.deepEqual(v.problems, ['line 4: does not follow the line before it (a line was changed, removed or moved)'])
  })

  it('detects a removed line and swapped lines', () => {
    const ls = lines()
    save([ls[0], ls[1], ls[3], ls[4]])
    let v = verifyJournal(readFileSync(path, 'utf8'), head)
    assert.equal(v.ok, false)
    assert.match(v.problems[0], /^line 3: sequence number 4, want 3/)
    save([ls[0], ls[2], ls[1], ls[3], ls[4]])
    v = verifyJournal(readFileSync(path, 'utf8'), head)
    assert.equal(v.ok, false)
    assert.match(v.problems.join('\n'), /line 2: sequence number 3, want 2/)
  })

  it('detects lines cut from the end only with the head kept apart', () => {
    save(lines().slice(0, 3))
    assert.equal(verifyJournal(readFileSync(path, 'utf8')).ok, true)
    const v = verifyJournal(readFileSync(path, 'utf8'), head)
    assert.deepEqual(v.problems, ['the journal has 3 lines but 5 were written (lines were removed at the end)'])
  })

  it('continues the chain of an existing file after a restart', () => {
    const j = new JournalFile(path, (h) => (head = h))
    j.append(event(6))
    const v = verifyJournal(j.text(), head)
    assert.deepEqual(v.problems, [])
    assert.equal(v.lines, 6)
  })

  it('keeps the lines in memory without a path', () => {
    const j = new JournalFile(undefined)
    j.append(event(1))
    j.append(event(2))
    assert.equal(verifyJournal(j.text()).lines, 2)
    assert.equal(verifyJournal(j.text()).ok, true)
  })
})
