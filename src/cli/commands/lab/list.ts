// list.ts is `mkctl lab list` (issue 6): the built-in labs and the lab files of the current folder and ./labs.
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {LabListOptions} from '../../options/lab/list.js'

/** LabList lists the built-in and local labs. */
export default class LabList extends MkctlCommand {
  static override summary = 'List the built-in labs and the labs in this folder'
  static override description =
    'List the labs shipped with mkctl (SOURCE builtin) and the lab files found here: *.yaml files of the current folder and of ./labs, and ./labs/NAME/lab.yaml, that declare apiVersion mkctl.dev/v1 and kind Lab (SOURCE is their path).'
  static override examples = [
    '# List every lab\nmkctl lab list',
    '# Only the names, one per line (local labs by path)\nmkctl lab list -o name',
  ]
  static override strict = false
  static override flags = {
    output: Flags.string({char: 'o', summary: 'Output format. One of: (name, json).'}),
    'no-headers': Flags.boolean({summary: "Don't print the table's header line."}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(LabList)
    const o = new LabListOptions(this.io, this.commandPath)
    o.output = flags.output ?? ''
    o.noHeaders = flags['no-headers']
    o.validate(argv as string[])
    o.run()
  }
}
