// fixtures.ts: a fixed clock and small pod builders shared by the table tests.

/** NOW is the fixed "current time" of every table test. */
export const NOW = Date.parse('2024-06-01T12:00:00Z')

/** ago renders the RFC 3339 timestamp `ms` milliseconds before NOW. */
export function ago(ms: number): string {
  return new Date(NOW - ms).toISOString().replace(/\.000Z$/, 'Z')
}

/** S, M, H and D are a second, minute, hour and day in milliseconds. */
export const S = 1000
export const M = 60 * S
export const H = 60 * M
export const D = 24 * H

/** meta builds metadata created five minutes before NOW. */
export function meta(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    resourceVersion: '10',
    creationTimestamp: ago(5 * M),
    ...extra,
  }
}

/** pod builds a Pod with one container `c` (or the given spec) and the given status. */
export function pod(name: string, status: any, spec: any = {}, metaExtra: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, metaExtra),
    spec: {containers: [{name: 'c', image: 'nginx'}], nodeName: 'node-1', ...spec},
    status,
  }
}

/** running is a ready, running container status. */
export function running(name = 'c', restartCount = 0, lastFinished?: string): any {
  return {
    name,
    ready: true,
    started: true,
    restartCount,
    state: {running: {startedAt: ago(4 * M)}},
    ...(lastFinished ? {lastState: {terminated: {exitCode: 1, reason: 'Error', finishedAt: lastFinished}}} : {}),
  }
}

/** waiting is a container status waiting with a reason. */
export function waiting(reason: string, name = 'c', restartCount = 0, lastFinished?: string): any {
  return {
    name,
    ready: false,
    restartCount,
    state: {waiting: {reason}},
    ...(lastFinished ? {lastState: {terminated: {exitCode: 1, reason: 'Error', finishedAt: lastFinished}}} : {}),
  }
}

/** terminated is a container status that has terminated. */
export function terminated(t: Record<string, unknown>, name = 'c'): any {
  return {name, ready: false, restartCount: 0, state: {terminated: {finishedAt: ago(M), ...t}}}
}
