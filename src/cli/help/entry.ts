// entry.ts is what bundle-entry.ts's main() asks before starting oclif: completion requests, help requests and -k
// are answered here without oclif's start-up (and, for help, in kubectl's layout rather than oclif's).
import type {Command} from '@oclif/core'
import {kustomizeDir, type PrepassResult} from '../argv.js'
import {kustomizeUnsupported} from '../commands/kustomize.js'
import {write} from '../io.js'
import {HelpRenderer} from './render.js'
import {COMPLETE_COMMANDS, runComplete} from './run-complete.js'

/** Streams are where the early answers go. */
export interface Streams {
  out: NodeJS.WritableStream
  errOut: NodeJS.WritableStream
}

/** isCompletionRequest tells whether argv is a `__complete` call; it must bypass the argv pre-pass. */
export function isCompletionRequest(argv: string[]): boolean {
  return argv.length > 0 && COMPLETE_COMMANDS.includes(argv[0])
}

/** helpTarget returns the command id whose help argv asks for ('' for the root), or undefined. */
export function helpTarget(argv: string[], pre: PrepassResult): string | undefined {
  if (argv.length === 0) return ''
  const dd = pre.argv.indexOf('--')
  const upto = dd < 0 ? pre.argv : pre.argv.slice(0, dd)
  if (!upto.includes('--help')) return undefined
  if (pre.id === 'help') return undefined
  return pre.id ?? pre.topic ?? ''
}

/** topicTarget returns the topic argv names without a sub-command (`mkctl config`), whose help kubectl prints. */
export function topicTarget(pre: PrepassResult): string | undefined {
  return pre.topic !== undefined && pre.id === undefined && !pre.error ? pre.topic : undefined
}

/**
 * handleEarly answers completion, help and -k requests; it returns the exit code when it handled argv, undefined when
 * oclif should run the command.
 */
export async function handleEarly(
  argv: string[],
  pre: PrepassResult | undefined,
  commands: Record<string, Command.Class>,
  io: Streams = {out: process.stdout, errOut: process.stderr},
): Promise<number | undefined> {
  if (isCompletionRequest(argv)) {
    await runComplete(argv, commands, io as never)
    return 0
  }
  if (!pre) return undefined
  const target = helpTarget(argv, pre) ?? topicTarget(pre)
  if (target !== undefined) {
    await write(io.out as never, new HelpRenderer(commands).command(target))
    return 0
  }
  const dir = kustomizeDir(pre.id, pre.argv)
  if (dir !== undefined) {
    await write(io.errOut as never, kustomizeUnsupported(dir || 'DIR') + '\n')
    return 1
  }
  return undefined
}
