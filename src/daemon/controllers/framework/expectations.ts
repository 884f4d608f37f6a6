// expectations.ts: ControllerExpectations from kubernetes pkg/controller/controller_utils.go. A controller that
// creates or deletes N objects records that it expects to see N adds or deletes, and skips recomputing the
// difference until the informer has shown them (or the expectations expired), so it never acts twice on a cache
// that lags its own writes. Here informers are current once a write returns, so expectations settle quickly;
// they still guard writes made while the watch hub is mid-delivery.
import type {Clock} from '../../clock.js'

/** EXPECTATIONS_TIMEOUT_MS is how long unmet expectations hold before a sync goes ahead anyway (5 min upstream). */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000

interface Expectation {
  add: number
  del: number
  at: number
}

/** Expectations tracks pending creates and deletes per controller key. */
export class Expectations {
  private readonly m = new Map<string, Expectation>()

  constructor(private readonly clock: Clock) {}

  /** expect records that key will see adds creations and dels deletions. */
  expect(key: string, adds: number, dels: number): void {
    this.m.set(key, {add: adds, del: dels, at: this.clock.now()})
  }

  /** observedAdd lowers the pending creations of key by one. */
  observedAdd(key: string): void {
    const e = this.m.get(key)
    if (e) e.add--
  }

  /** observedDelete lowers the pending deletions of key by one. */
  observedDelete(key: string): void {
    const e = this.m.get(key)
    if (e) e.del--
  }

  /** satisfied: nothing pending, no record, or the record expired. */
  satisfied(key: string): boolean {
    const e = this.m.get(key)
    if (!e) return true
    if (e.add <= 0 && e.del <= 0) return true
    return this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS
  }

  /** forget drops key's record (its object was deleted). */
  forget(key: string): void {
    this.m.delete(key)
  }
}
