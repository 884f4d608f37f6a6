// start.ts holds LabStartOptions for `mkctl lab start LAB [--seed N] [--student ID] [-p PROFILE]` (src/cli/lab).
import {existsSync} from 'node:fs'
import {UsageError} from '../../errors.js'
import type {IOStreams} from '../../io.js'
import {startLab} from '../../lab/lab.js'
import {labFile} from './validate.js'

/** LabStartOptions starts a lab in a fresh profile. */
export class LabStartOptions {
  lab = ''
  profile?: string
  seed?: number
  student?: string
  timing?: 'realistic' | 'fast'
  constructor(
    readonly io: IOStreams,
    readonly commandPath = 'mkctl lab start',
  ) {}

  validate(args: string[]): void {
    if (args.length !== 1)
      throw new UsageError('give exactly one LAB (a lab file or a folder holding lab.yaml)', this.commandPath)
    this.lab = labFile(args[0])
    if (!existsSync(this.lab)) throw new Error(`lab file not found: ${this.lab}`)
    if (this.seed !== undefined && (!Number.isSafeInteger(this.seed) || this.seed < 0))
      throw new UsageError('--seed must be a non-negative integer', this.commandPath)
    if (this.student !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._@-]{0,62}$/.test(this.student))
      throw new UsageError('--student must be letters, digits, ".", "_", "@" or "-" (at most 63)', this.commandPath)
  }

  run(): Promise<void> {
    return startLab(
      {
        lab: this.lab,
        ...(this.profile !== undefined ? {profile: this.profile} : {}),
        ...(this.seed !== undefined ? {seed: this.seed} : {}),
        ...(this.student !== undefined ? {student: this.student} : {}),
        ...(this.timing !== undefined ? {timing: this.timing} : {}),
      },
      this.io,
    )
  }
}
