// klog.ts prints kubectl's -v=N diagnostic lines on stderr in klog's header format
// (`I1125 19:55:42.754395    9304 round_trippers.go:560] GET https://... 200 OK in 5 milliseconds`), follows
// k8s.io/klog/v2 header formatting. Only a faithful subset of kubectl's messages is produced.
import type {Writable} from 'node:stream'

/** Klog writes leveled log lines; v is the verbosity from -v/--v. */
export interface Klog {
  readonly v: number
  /** info writes an I-line when level <= v. */
  info(level: number, source: string, msg: string): void
  /** error writes an E-line unconditionally (klog.ErrorS / utilruntime.HandleError). */
  error(source: string, msg: string): void
}

/** NOP_KLOG discards everything (verbosity 0, no errors shown). */
export const NOP_KLOG: Klog = {v: 0, info() {}, error() {}}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0')
}

/** klogHeader renders `Lmmdd hh:mm:ss.uuuuuu    pid file:line] ` for a time and severity letter. */
export function klogHeader(sev: 'I' | 'W' | 'E', now: Date, pid: number, source: string): string {
  const d = `${pad(now.getMonth() + 1, 2)}${pad(now.getDate(), 2)}`
  const t = `${pad(now.getHours(), 2)}:${pad(now.getMinutes(), 2)}:${pad(now.getSeconds(), 2)}.${pad(now.getMilliseconds() * 1000, 6)}`
  return `${sev}${d} ${t} ${String(pid).padStart(7)} ${source}] `
}

/** newKlog returns a Klog writing to out; now is injectable for tests. */
export function newKlog(v: number, out: Writable, now: () => Date = () => new Date()): Klog {
  return {
    v,
    info(level, source, msg) {
      if (level <= v) out.write(klogHeader('I', now(), process.pid, source) + msg + '\n')
    },
    error(source, msg) {
      out.write(klogHeader('E', now(), process.pid, source) + msg + '\n')
    },
  }
}
