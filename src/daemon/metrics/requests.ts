// requests.ts counts the HTTP requests each container served, per second of cluster time, so the metrics model
// can turn served load into CPU (as cAdvisor's cumulative CPU counters reflect the work a server did). The
// runtime calls noteRequest from RuntimeContainer.http; counters are keyed by the instance object, so two
// in-process daemons (differential tests) never share them, and a restarted container starts from zero.

/** HISTORY_S is how many seconds of per-second counts are kept for each container run. */
export const HISTORY_S = 300

interface Meter {
  /** counts[i] holds the requests of second `sec` where sec % HISTORY_S === i, valid while stamps[i] === sec. */
  counts: Uint32Array
  stamps: Float64Array
}

const meters = new WeakMap<object, Meter>()

/** noteRequest records that a container run (the runtime's instance object) answered one request at `now`. */
export function noteRequest(instance: object, now: number, n = 1): void {
  let m = meters.get(instance)
  if (!m) {
    m = {counts: new Uint32Array(HISTORY_S), stamps: new Float64Array(HISTORY_S).fill(-1)}
    meters.set(instance, m)
  }
  const sec = Math.floor(now / 1000)
  const i = sec % HISTORY_S
  if (m.stamps[i] !== sec) {
    m.stamps[i] = sec
    m.counts[i] = 0
  }
  m.counts[i] += n
}

/** requestsBetween counts the requests a run answered in the cluster-time seconds [from, to). */
export function requestsBetween(instance: object, from: number, to: number): number {
  const m = meters.get(instance)
  if (!m) return 0
  let sum = 0
  const first = Math.max(Math.floor(from / 1000), Math.floor(to / 1000) - HISTORY_S + 1)
  for (let sec = first; sec < Math.floor(to / 1000); sec++) {
    const i = sec % HISTORY_S
    if (m.stamps[i] === sec) sum += m.counts[i]
  }
  return sum
}
