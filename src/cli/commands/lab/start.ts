// start.ts is `mkctl lab start LAB` (docs/labs.md): a fresh profile for the lab, its setup applied, its tasks shown.
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {LabStartOptions} from '../../options/lab/start.js'

/** LabStart starts a lab in a fresh local cluster. */
export default class LabStart extends MkctlCommand {
  static override summary = 'Start a lab in a fresh local cluster'
  static override description =
    'Create a local cluster (profile lab-<name> unless -p) seeded for the lab, apply its setup, and print its tasks. Every command run against it, with mkctl or kubectl, is journaled for lab check and lab export.'
  static override examples = [
    '# Start the example lab\nmkctl lab start labs/examples/scale-web',
    '# Start it for a student with their own parameters\nmkctl lab start labs/examples/scale-web --seed 7 --student ann',
  ]
  static override flags = {
    profile: Flags.string({char: 'p', summary: 'The profile (cluster) to create for the lab (default lab-<name>).'}),
    seed: Flags.integer({summary: "The seed of the lab's parameters and of the cluster (default: the lab's, else 1)."}),
    student: Flags.string({summary: 'Who works on the lab (recorded in the journal and the exported session).'}),
    timing: Flags.string({
      summary: 'How long simulated work takes: realistic (default) or fast.',
      options: ['realistic', 'fast'],
    }),
  }
  static override args = {}
  static override strict = false

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(LabStart)
    const o = new LabStartOptions(this.io, this.commandPath)
    if (flags.profile !== undefined) o.profile = flags.profile
    if (flags.seed !== undefined) o.seed = flags.seed
    if (flags.student !== undefined) o.student = flags.student
    if (flags.timing !== undefined) o.timing = flags.timing as 'realistic' | 'fast'
    o.validate(argv as string[])
    await o.run()
  }
}
