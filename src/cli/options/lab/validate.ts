// validate.ts holds LabValidateOptions for `mkctl lab validate FILE...`: the lab format's JSON Schema
// (labs/schema.json) and its semantic rules (src/lab/load.ts), each problem as `file:line:col: path: message`.
import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {RawError, UsageError} from '../../errors.js'
import type {IOStreams} from '../../io.js'
import {formatDiagnostic, loadLabFile} from '../../../lab/load.js'
import {maxPoints} from './grade.js'

/** labFile resolves a LAB argument: a lab file, or a folder holding lab.yaml. */
export function labFile(arg: string): string {
  return existsSync(arg) && statSync(arg).isDirectory() ? join(arg, 'lab.yaml') : arg
}

/** LabValidateOptions validates lab files. */
export class LabValidateOptions {
  files: string[] = []
  constructor(
    readonly io: IOStreams,
    readonly commandPath = 'mkctl lab validate',
  ) {}

  validate(): void {
    if (this.files.length === 0) throw new UsageError('give at least one lab file', this.commandPath)
  }

  async run(): Promise<void> {
    const problems: string[] = []
    for (const arg of this.files) {
      const file = labFile(arg)
      if (!existsSync(file)) {
        problems.push(`${file}: no such file`)
        continue
      }
      const l = loadLabFile(file)
      if (l.lab) {
        const points = l.lab.tasks.reduce((s, t) => s + maxPoints(t), 0)
        this.io.out.write(
          `${file}: lab "${l.lab.metadata.name}" is valid (${l.lab.tasks.length} tasks, ${points} points)\n`,
        )
      } else problems.push(...l.diagnostics.map(formatDiagnostic))
    }
    if (problems.length > 0) throw new RawError(problems.join('\n'))
  }
}
