// snapshot.ts holds the behaviour of `mkctl cluster snapshot save|restore|list|delete` (the daemon side is
// src/daemon/apiserver/snapshot-admin.ts). Save, list and delete are one request each; restore stages the copy
// through the daemon, then restarts the daemon, which swaps the file in before it opens it, so every controller,
// kubelet and watch starts again from the restored state (as `etcdutl snapshot restore` needs a restarted etcd).
import {table} from './addons.js'
import {call} from './admin.js'
import {ProfileNotFound} from './lifecycle.js'
import type {IOStreams} from '../io.js'
import {readProfileConfig, startProfile, stopProfile} from './profiles.js'

/** SnapshotInfo is one snapshot as the daemon reports it. */
export interface SnapshotInfo {
  name: string
  sizeBytes: number
  created: string
  revision: number
  objects: number
  /** ms is how long a save took (save only). */
  ms?: number
}

/** humanSize prints a byte count as KiB/MiB with one decimal, as `du -h` would round. */
export function humanSize(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}

/** saveSnapshot copies the running cluster's state into the snapshot NAME. */
export async function saveSnapshot(
  profile: string,
  name: string,
  force: boolean,
  io: IOStreams,
  env = process.env,
): Promise<SnapshotInfo> {
  const s: SnapshotInfo = await call(profile, 'POST', '/snapshots', {name, force}, env)
  io.out.write(
    `* Saved snapshot "${s.name}" of cluster "${profile}": ${s.objects} objects at revision ${s.revision}, ${humanSize(s.sizeBytes)}, in ${Math.round(s.ms ?? 0)} ms.\n`,
  )
  return s
}

/** restoreSnapshot replaces the cluster's state with the snapshot NAME and restarts the cluster on it. */
export async function restoreSnapshot(
  profile: string,
  name: string,
  io: IOStreams,
  env = process.env,
): Promise<number> {
  const t0 = Date.now()
  const s: SnapshotInfo = await call(profile, 'POST', `/snapshots/${encodeURIComponent(name)}/restore`, {}, env)
  await stopProfile(profile, env)
  const cfg = readProfileConfig(profile, env)
  if (!cfg) throw new ProfileNotFound(profile)
  await startProfile(cfg, {env})
  const ms = Date.now() - t0
  io.out.write(
    `* Restored cluster "${profile}" from snapshot "${s.name}" (${s.objects} objects at revision ${s.revision}) in ${ms} ms.\n`,
  )
  return ms
}

/** listSnapshots prints the profile's snapshots as a table. */
export async function listSnapshots(profile: string, io: IOStreams, env = process.env): Promise<void> {
  const list: SnapshotInfo[] = await call(profile, 'GET', '/snapshots', undefined, env)
  if (list.length === 0) {
    io.errOut.write(`* No snapshots of cluster "${profile}" yet. Save one with "mkctl cluster snapshot save NAME".\n`)
    return
  }
  io.out.write(
    table(
      ['Name', 'Created', 'Objects', 'Revision', 'Size'],
      list.map((s) => [s.name, s.created, String(s.objects), String(s.revision), humanSize(s.sizeBytes)]),
    ),
  )
}

/** deleteSnapshot removes the snapshot NAME. */
export async function deleteSnapshot(profile: string, name: string, io: IOStreams, env = process.env): Promise<void> {
  await call(profile, 'DELETE', `/snapshots/${encodeURIComponent(name)}`, undefined, env)
  io.out.write(`* Deleted snapshot "${name}" of cluster "${profile}".\n`)
}
