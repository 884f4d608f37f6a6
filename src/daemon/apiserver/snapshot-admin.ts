// snapshot-admin.ts serves /mkctl/v1/snapshots for `mkctl cluster snapshot save|restore|list|delete`: snapshots
// are consistent copies of the profile's state.db in `<profile>/snapshots/<name>.db` (0600, folder 0700). A
// restore is only staged here (`state.db.restore`); the CLI then restarts the daemon, which swaps the file in
// before opening it (storage/snapshot.ts), so every loop, informer and watch starts again from the restored state.
import {copyFileSync, chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync} from 'node:fs'
import {join} from 'node:path'
import express, {type Router} from 'express'
import {badRequest, notFound, statusError} from '../../api/errors.js'
import {rfc3339} from '../clock.js'
import {jsonRoute} from './errors.js'

/** SnapshotDeps are what the snapshot endpoints need from the daemon. */
export interface SnapshotDeps {
  /** dir is the profile folder; undefined for an in-memory daemon (no snapshots). */
  dir?: string
  /** dbPath is the store's file, next to which a restore is staged. */
  dbPath?: string
  /** save writes a consistent copy of the store to path and returns its size in bytes. */
  save(path: string): Promise<number>
  /** inspect reads a snapshot's newest revision and object count. */
  inspect(path: string): {revision: number; keys: number}
  /** stagePath is where a restore of dbPath is staged. */
  stagePath(dbPath: string): string
}

/** SnapshotInfo is one snapshot as `mkctl cluster snapshot list` shows it. */
export interface SnapshotInfo {
  name: string
  sizeBytes: number
  created: string
  revision: number
  objects: number
}

/** SNAPSHOT_NAME is what a snapshot may be called: a DNS-label-like word, which is also a safe file name. */
const SNAPSHOT_NAME = /^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$/

/** snapshotAdminRouter serves save (POST /), list (GET /), delete (DELETE /:name) and restore (POST /:name/restore). */
export function snapshotAdminRouter(d: SnapshotDeps): Router {
  const r = express.Router()
  r.use(express.json({limit: '16kb'}))
  const folder = () => {
    if (!d.dir || !d.dbPath) throw badRequest('snapshots need a cluster with a state folder (not an in-memory one)')
    const f = join(d.dir, 'snapshots')
    mkdirSync(f, {recursive: true, mode: 0o700})
    return f
  }
  const fileOf = (name: unknown) => {
    const n = String(name ?? '')
    if (!SNAPSHOT_NAME.test(n))
      throw badRequest(
        `invalid snapshot name "${n}": use lower case letters, digits, '-', '_' and '.', starting and ending with a letter or digit (at most 63 characters)`,
      )
    return {name: n, path: join(folder(), `${n}.db`)}
  }
  const existing = (name: unknown) => {
    const f = fileOf(name)
    if (!existsSync(f.path)) throw notFound({group: 'mkctl.dev', plural: 'snapshots'}, f.name)
    return f
  }
  const info = (name: string, path: string): SnapshotInfo => {
    const st = statSync(path)
    const facts = d.inspect(path)
    return {name, sizeBytes: st.size, created: rfc3339(st.mtimeMs), revision: facts.revision, objects: facts.keys}
  }
  const wrap = jsonRoute
  r.get(
    '/',
    wrap(() =>
      readdirSync(folder())
        .filter((f) => f.endsWith('.db'))
        .sort()
        .map((f) => info(f.slice(0, -3), join(folder(), f))),
    ),
  )
  r.post(
    '/',
    wrap(async (req) => {
      const f = fileOf(req.body?.name)
      if (existsSync(f.path) && !req.body?.force)
        throw statusError(409, 'AlreadyExists', `snapshot "${f.name}" already exists (use --force to replace it)`)
      const t0 = process.hrtime.bigint()
      await d.save(f.path)
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      return {...info(f.name, f.path), ms}
    }),
  )
  r.delete(
    '/:name',
    wrap((req) => {
      const f = existing(req.params.name)
      rmSync(f.path, {force: true})
      return {name: f.name}
    }),
  )
  r.post(
    '/:name/restore',
    wrap((req) => {
      const f = existing(req.params.name)
      const facts = info(f.name, f.path)
      const staged = d.stagePath(d.dbPath!)
      copyFileSync(f.path, staged)
      chmodSync(staged, 0o600)
      return facts
    }),
  )
  return r
}
