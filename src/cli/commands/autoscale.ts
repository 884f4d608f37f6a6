// autoscale.ts is `mkctl autoscale` (kubectl/pkg/cmd/autoscale/autoscale.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {AutoscaleOptions} from '../options/autoscale.js'
import {parseIntFlag, requiredFlagError} from '../options/scale.js'
import {noOptDefaults} from '../resource/openapi.js'
import {dryRunFlag, printFlags} from './scale.js'

/** Autoscale auto-scales a deployment, replica set, stateful set, or replication controller. */
export default class Autoscale extends MkctlCommand {
  static override summary = 'Auto-scale a deployment, replica set, stateful set, or replication controller'
  static override description = `Creates an autoscaler that automatically chooses and sets the number of pods that run in a Kubernetes cluster.

 Looks up a deployment, replica set, stateful set, or replication controller by name and creates an autoscaler that uses the given resource as a reference. An autoscaler can automatically increase or decrease number of pods deployed within the system as needed.`
  static override usage =
    'autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU]'
  static override examples = [
    '# Auto scale a deployment "foo", with the number of pods between 2 and 10, no target CPU utilization specified so a default autoscaling policy will be used\nmkctl autoscale deployment foo --min=2 --max=10',
    '# Auto scale a replication controller "foo", with the number of pods between 1 and 5, target CPU utilization at 80%\nmkctl autoscale rc foo --max=5 --cpu-percent=80',
  ]
  static override strict = false
  static override flags = {
    min: Flags.string({
      default: '-1',
      summary:
        "The lower limit for the number of pods that can be set by the autoscaler. If it's not specified or negative, the server will apply a default value.",
    }),
    max: Flags.string({
      // help shows kubectl's Go default; the flag stays undefined when not given
      helpValue: '-1',
      summary: 'The upper limit for the number of pods that can be set by the autoscaler. Required.',
    }),
    'cpu-percent': Flags.string({
      default: '-1',
      summary:
        "The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If it's not specified or negative, a default autoscaling policy will be used.",
    }),
    name: Flags.string({
      summary: 'The name for the newly created object. If not specified, the name of the input resource will be used.',
    }),
    filename: Flags.string({
      char: 'f',
      multiple: true,
      multipleNonGreedy: true,
      summary: 'Filename, directory, or URL to files identifying the resource to autoscale.',
    }),
    recursive: Flags.boolean({
      char: 'R',
      summary:
        'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
    }),
    kustomize: Flags.string({char: 'k', summary: 'Process the kustomization directory. Not supported by mkctl.'}),
    'save-config': Flags.boolean({
      summary:
        'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.',
    }),
    'field-manager': Flags.string({
      default: 'kubectl-autoscale',
      summary: 'Name of the manager used to track field ownership.',
    }),
    'dry-run': dryRunFlag,
    ...printFlags,
  }

  async run(): Promise<void> {
    const argv = noOptDefaults(this.argv, {'--dry-run': 'unchanged'})
    const {flags, argv: args} = await this.parse(Autoscale, argv)
    const path = this.commandPath
    const o = new AutoscaleOptions(this.io)
    o.min = parseIntFlag(flags.min, 'min', path, 32)
    o.cpuPercent = parseIntFlag(flags['cpu-percent'], 'cpu-percent', path, 32)
    if (flags.max === undefined) throw requiredFlagError('max')
    o.max = parseIntFlag(flags.max, 'max', path, 32)
    o.args = args as string[]
    o.name = flags.name ?? ''
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.kustomize = flags.kustomize
    o.saveConfig = flags['save-config']
    o.fieldManager = flags['field-manager']
    o.dryRunFlag = flags['dry-run']
    o.output = flags.output ?? ''
    o.template = flags.template
    o.showManagedFields = flags['show-managed-fields']
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
