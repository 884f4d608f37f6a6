// validate.ts is `mkctl lab validate FILE...` (docs/labs.md): check lab files against the lab format.
import {MkctlCommand} from '../../base-command.js'
import {LabValidateOptions} from '../../options/lab/validate.js'

/** LabValidate checks lab files against the schema and the format's rules. */
export default class LabValidate extends MkctlCommand {
  static override summary = 'Check lab files against the lab format'
  static override description =
    'Check lab files (apiVersion mkctl.dev/v1, kind Lab) against the JSON Schema of the format and its rules: unknown check kinds, undefined parameters in templates, duplicate task names. Problems are printed as file:line:col.'
  static override examples = ['# Validate a lab\nmkctl lab validate labs/examples/scale-web/lab.yaml']
  static override strict = false

  async run(): Promise<void> {
    const {argv} = await this.parse(LabValidate)
    const o = new LabValidateOptions(this.io, this.commandPath)
    o.files = argv as string[]
    o.validate()
    await o.run()
  }
}
