// killercoda.ts is `mkctl lab import killercoda DIR [-o lab.yaml]` (docs/labs.md): a Killercoda scenario made into a lab.
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {LabImportOptions} from '../../../options/lab/import.js'

/** LabImportKillercoda turns a Killercoda scenario folder into a lab file. */
export default class LabImportKillercoda extends MkctlCommand {
  static override summary = 'Turn a Killercoda scenario into a lab'
  static override description =
    'Read a Killercoda scenario folder (index.json, step markdown, verify.sh, background.sh) and write a lab: each step becomes a task with its markdown as instructions; plain kubectl lines of verify scripts become script checks, `kubectl get ... | grep X` and `[ "$(kubectl get ... -o jsonpath=...)" = "v" ]` become field checks; kubectl lines and `kubectl apply -f - <<EOF` documents of background scripts become setup steps. Lines that cannot be converted are listed on stderr with file:line.'
  static override examples = [
    '# Import a scenario into lab.yaml\nmkctl lab import killercoda ./my-scenario -o lab.yaml',
  ]
  static override strict = false
  static override flags = {
    output: Flags.string({char: 'o', summary: 'Write the lab to this file instead of stdout.'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(LabImportKillercoda)
    const o = new LabImportOptions(this.io, this.commandPath)
    o.output = flags.output ?? ''
    o.validate(argv as string[])
    await o.run()
  }
}
