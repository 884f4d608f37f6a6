// patch.ts is `mkctl patch` (kubectl/pkg/cmd/patch/patch.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {PatchOptions} from '../options/patch.js'
import {noOptDefaults} from '../resource/openapi.js'

/** Patch updates fields of a resource. */
export default class Patch extends MkctlCommand {
  static override summary = 'Update fields of a resource'
  static override description = `Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.

 JSON and YAML formats are accepted.

 Note: Strategic merge patch is not supported for custom resources.`
  static override usage = 'patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]'
  static override examples = [
    `# Partially update a node using a strategic merge patch, specifying the patch as JSON\nmkctl patch node k8s-node-1 -p '{"spec":{"unschedulable":true}}'`,
    `# Partially update a node using a strategic merge patch, specifying the patch as YAML\nmkctl patch node k8s-node-1 -p $'spec:\\n unschedulable: true'`,
    `# Partially update a node identified by the type and name specified in "node.json" using strategic merge patch\nmkctl patch -f node.json -p '{"spec":{"unschedulable":true}}'`,
    `# Update a container's image; spec.containers[*].name is required because it's a merge key\nmkctl patch pod valid-pod -p '{"spec":{"containers":[{"name":"kubernetes-serve-hostname","image":"new image"}]}}'`,
    `# Update a container's image using a JSON patch with positional arrays\nmkctl patch pod valid-pod --type='json' -p='[{"op": "replace", "path": "/spec/containers/0/image", "value":"new image"}]'`,
    `# Update a deployment's replicas through the 'scale' subresource using a merge patch\nmkctl patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{"spec":{"replicas":2}}'`,
  ]
  static override strict = false
  static override flags = {
    filename: Flags.string({
      char: 'f',
      multiple: true,
      multipleNonGreedy: true,
      summary: 'Filename, directory, or URL to files identifying the resource to update',
    }),
    recursive: Flags.boolean({
      char: 'R',
      summary:
        'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
    }),
    kustomize: Flags.string({char: 'k', summary: 'Process the kustomization directory. Not supported by mkctl.'}),
    patch: Flags.string({char: 'p', summary: 'The patch to be applied to the resource JSON file.'}),
    'patch-file': Flags.string({summary: 'A file containing a patch to be applied to the resource.'}),
    type: Flags.string({
      default: 'strategic',
      summary: 'The type of patch being provided; one of [json merge strategic]',
    }),
    subresource: Flags.string({
      summary:
        'If specified, patch will operate on the subresource of the requested object. This flag is beta and may change in the future.',
    }),
    local: Flags.boolean({
      summary: 'If true, patch will operate on the content of the file, not the server-side resource.',
    }),
    'dry-run': Flags.string({
      default: 'none',
      summary:
        'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
    }),
    output: Flags.string({
      char: 'o',
      summary:
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
    }),
    template: Flags.string({summary: 'Template string or path to template file to use when -o=jsonpath.'}),
    'show-managed-fields': Flags.boolean({
      summary: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
    }),
    'field-manager': Flags.string({
      default: 'kubectl-patch',
      summary: 'Name of the manager used to track field ownership.',
    }),
  }

  async run(): Promise<void> {
    const argv = noOptDefaults(this.argv, {'--dry-run': 'unchanged'})
    const {flags, argv: args} = await this.parse(Patch, argv)
    const o = new PatchOptions(this.io)
    o.args = args as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.kustomize = flags.kustomize
    o.patch = flags.patch ?? ''
    o.patchFile = flags['patch-file'] ?? ''
    o.patchType = flags.type
    o.subresource = flags.subresource ?? ''
    o.local = flags.local
    o.dryRunFlag = flags['dry-run']
    o.output = flags.output ?? ''
    o.template = flags.template
    o.showManagedFields = flags['show-managed-fields']
    o.fieldManager = flags['field-manager']
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
