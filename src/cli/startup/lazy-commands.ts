// lazy-commands.ts is the command table bundle-entry.ts runs from. Run from source (tests, the lab bundle) it is the
// eager table of commands-index.ts. In the CLI bundle, scripts/build.mjs replaces this module by one generated with
// command-table.ts: the same ids in the same order, each a getter that evaluates its command's module on first
// access, so `mkctl get pods` evaluates the get command and what it imports, not the other ~150 commands.
import type {Command} from '@oclif/core'
import {COMMANDS as ALL} from '../commands-index.js'

/** COMMANDS maps command ids to their classes (getters evaluating the module on first access in the bundle). */
export const COMMANDS: Record<string, Command.Class> = ALL

/** ALIASES maps the ids of commands that have aliases to them, read without evaluating the command modules. */
export const ALIASES: Record<string, string[]> = Object.fromEntries(
  Object.entries(ALL)
    .filter(([, c]) => (c.aliases ?? []).length > 0)
    .map(([id, c]) => [id, [...c.aliases]]),
)

/** LAZY tells whether COMMANDS is the generated lazy table (true in the CLI bundle only). */
export const LAZY: boolean = false
