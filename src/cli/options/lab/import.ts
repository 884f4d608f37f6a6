// import.ts holds LabImportOptions for `mkctl lab import killercoda DIR [-o lab.yaml]` (docs/labs.md): a Killercoda
// scenario folder made into a lab (src/lab/import/killercoda.ts). The lab goes to stdout or -o; the script lines
// that could not be converted go to stderr as `file:line: reason: text`, and the lab is validated as lab validate would.
import {existsSync, statSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {RawError, UsageError} from '../../errors.js'
import {write, type IOStreams} from '../../io.js'
import {formatNotConverted, importKillercoda} from '../../../lab/import/killercoda.js'
import {formatDiagnostic, parseLab} from '../../../lab/load.js'

/** LabImportOptions imports a Killercoda scenario. */
export class LabImportOptions {
  dir = ''
  output = ''
  constructor(
    readonly io: IOStreams,
    readonly commandPath = 'mkctl lab import killercoda',
  ) {}

  validate(args: string[]): void {
    if (args.length !== 1)
      throw new UsageError('give exactly one scenario folder (holding index.json)', this.commandPath)
    this.dir = args[0]
    if (!existsSync(this.dir) || !statSync(this.dir).isDirectory())
      throw new RawError(`error: ${this.dir} is not a folder`)
  }

  async run(): Promise<void> {
    let res
    try {
      res = importKillercoda(this.dir)
    } catch (e) {
      throw new RawError(`error: ${(e as Error).message}`)
    }
    const out = this.output ? resolve(this.output) : resolve(this.dir, 'lab.yaml')
    if (this.output) writeFileSync(out, res.yaml)
    else await write(this.io.out, res.yaml)
    const tasks = res.lab.tasks.length
    const checks = res.lab.tasks.reduce((n, t) => n + t.checks.length, 0)
    let text = ''
    if (res.notConverted.length > 0) text += `not converted:\n${formatNotConverted(res.notConverted)}`
    text += `imported ${tasks} tasks with ${checks} checks and ${res.lab.setup?.length ?? 0} setup steps${this.output ? ` into ${this.output}` : ''}\n`
    // The lab must load as lab validate would load it (relative setup files beside the output).
    const loaded = parseLab(res.yaml, out, dirname(out))
    if (!loaded.lab) text += loaded.diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('')
    await write(this.io.errOut, text)
    if (!loaded.lab) throw new RawError('', 1)
  }
}
