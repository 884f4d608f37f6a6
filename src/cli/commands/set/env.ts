// env.ts is `mkctl set env` (kubectl/pkg/cmd/set/set_env.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {SetEnvOptions} from '../../options/set/env.js'
import {noOptDefaults} from '../../resource/openapi.js'
import {DRY_RUN_DEFAULTS, filenameFlags, localFlag, printFlags, selectorFlag, writeFlags} from './flags.js'

/** SetEnv updates environment variables on a pod template. */
export default class SetEnv extends MkctlCommand {
  static override summary = 'Update environment variables on a pod template'
  static override description = `Update environment variables on a pod template.

List environment variable definitions in one or more pods, pod templates. Add, update, or remove container environment variable definitions in one or more pod templates (within replication controllers or deployment configurations). View or modify the environment variable definitions on all containers in the specified pods or pod templates, or just those that match a wildcard.

If "--env -" is passed, environment variables can be read from STDIN using the standard env syntax.

Possible resources include (case insensitive):

  pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)`
  static override examples = [
    "# Update deployment 'registry' with a new environment variable\nmkctl set env deployment/registry STORAGE_DIR=/local",
    "# List the environment variables defined on a deployments 'sample-build'\nmkctl set env deployment/sample-build --list",
    '# List the environment variables defined on all pods\nmkctl set env pods --all --list',
    '# Output modified deployment in YAML, and does not alter the object on the server\nmkctl set env deployment/sample-build STORAGE_DIR=/data -o yaml',
    '# Update all containers in all replication controllers in the project to have ENV=prod\nmkctl set env rc --all ENV=prod',
    '# Import environment from a secret\nmkctl set env --from=secret/mysecret deployment/myapp',
    '# Import environment from a config map with a prefix\nmkctl set env --from=configmap/myconfigmap --prefix=MYSQL_ deployment/myapp',
    '# Import specific keys from a config map\nmkctl set env --keys=my-example-key --from=configmap/myconfigmap deployment/myapp',
    '# Remove the environment variable ENV from container \'c1\' in all deployment configs\nmkctl set env deployments --all --containers="c1" ENV-',
    '# Remove the environment variable ENV from a deployment definition on disk and\n# update the deployment config on the server\nmkctl set env -f deploy.json ENV-',
    '# Set some of the local shell environment into a deployment config on the server\nenv | grep RAILS_ | mkctl set env -e - deployment/registry',
  ]
  static override usage = 'set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N'
  static override strict = false
  static override flags = {
    ...filenameFlags('the resource to update the env'),
    containers: Flags.string({
      char: 'c',
      default: '*',
      summary: 'The names of containers in the selected pod templates to change - may use wildcards',
    }),
    from: Flags.string({summary: 'The name of a resource from which to inject environment variables'}),
    prefix: Flags.string({summary: 'Prefix to append to variable names'}),
    env: Flags.string({
      char: 'e',
      multiple: true,
      multipleNonGreedy: true,
      summary: 'Specify a key-value pair for an environment variable to set into each container.',
    }),
    keys: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      summary: 'Comma-separated list of keys to import from specified resource',
    }),
    list: Flags.boolean({
      summary:
        'If true, display the environment and any changes in the standard format. this flag will removed when we have kubectl view env.',
    }),
    resolve: Flags.boolean({summary: 'If true, show secret or configmap references when listing variables'}),
    ...localFlag('env'),
    all: Flags.boolean({summary: 'If true, select all resources in the namespace of the specified resource types'}),
    overwrite: Flags.boolean({
      default: true,
      allowNo: true,
      summary:
        'If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment.',
    }),
    ...writeFlags,
    ...selectorFlag,
    ...printFlags,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(SetEnv, noOptDefaults(this.argv, DRY_RUN_DEFAULTS))
    const o = new SetEnvOptions(this.io)
    o.setFlags(flags)
    o.args = argv as string[]
    o.containerSelector = flags.containers
    o.from = flags.from ?? ''
    o.prefix = flags.prefix ?? ''
    o.envParams = flags.env ?? []
    o.keys = (flags.keys ?? []).flatMap((k) => k.split(','))
    o.list = flags.list
    o.resolve = flags.resolve
    o.overwrite = flags.overwrite
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
