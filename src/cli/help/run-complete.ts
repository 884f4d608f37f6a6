// run-complete.ts is the body of the hidden `mkctl __complete` / `__completeNoDesc` commands (cobra's
// ShellCompRequestCmd): it prints the candidates on stdout and cobra's `Completion ended with directive:` line on
// stderr. bundle-entry.ts calls it before oclif starts, so a TAB costs no oclif start-up and argv is taken verbatim
// (no -h rewriting, no flag parsing).
import type {Command} from '@oclif/core'
import {globalFlags} from '../base-command.js'
import type {IOStreams} from '../io.js'
import {write} from '../io.js'
import {commandTree, complete, directiveName, formatResult, globalFlagInfos} from './complete.js'
import {factoryLive} from './live.js'

/** COMPLETE_COMMANDS are the hidden command names the completion scripts call. */
export const COMPLETE_COMMANDS = ['__complete', '__completeNoDesc']

/** runComplete answers one completion request; argv starts with `__complete` or `__completeNoDesc`. */
export async function runComplete(
  argv: string[],
  commands: Record<string, Command.Class>,
  io: Pick<IOStreams, 'out' | 'errOut'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const withDescriptions = argv[0] !== '__completeNoDesc'
  const summaries = Object.fromEntries(
    Object.entries(globalFlags).map(([name, f]) => [name, (f as {summary?: string}).summary ?? '']),
  )
  const result = await complete(argv.slice(1), {
    tree: commandTree(commands),
    globals: globalFlagInfos(summaries),
    live: (g) => factoryLive(g, env),
  })
  await write(io.out, formatResult(result, withDescriptions))
  if (result.debug) await write(io.errOut, result.debug + '\n')
  await write(io.errOut, `Completion ended with directive: ${directiveName(result.directive)}\n`)
}
