// annotate.ts is `mkctl annotate` (kubectl/pkg/cmd/annotate/annotate.go).
import {MkctlCommand} from '../base-command.js'
import {AnnotateOptions} from '../options/annotate.js'
import {noOptDefaults} from '../resource/openapi.js'
import {metadataEditFlags, setMetadataEditFlags} from './label.js'

/** Annotate updates the annotations on a resource. */
export default class Annotate extends MkctlCommand {
  static override summary = 'Update the annotations on a resource'
  static override description = `Update the annotations on one or more resources.

 All Kubernetes objects support the ability to store additional data with the object as annotations. Annotations are key/value pairs that can be larger than labels and include arbitrary string values such as structured JSON. Tools and system extensions may use annotations to store their own data.

 Attempting to set an annotation that already exists will fail unless --overwrite is set. If --resource-version is specified and does not match the current resource version on the server the command will fail.

Use "mkctl api-resources" for a complete list of supported resources.`
  static override usage =
    'annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]'
  static override examples = [
    "# Update pod 'foo' with the annotation 'description' and the value 'my frontend'\n# If the same annotation is set multiple times, only the last value will be applied\nmkctl annotate pods foo description='my frontend'",
    '# Update a pod identified by type and name in "pod.json"\nmkctl annotate -f pod.json description=\'my frontend\'',
    "# Update pod 'foo' with the annotation 'description' and the value 'my frontend running nginx', overwriting any existing value\nmkctl annotate --overwrite pods foo description='my frontend running nginx'",
    "# Update all pods in the namespace\nmkctl annotate pods --all description='my frontend running nginx'",
    "# Update pod 'foo' only if the resource is unchanged from version 1\nmkctl annotate pods foo description='my frontend running nginx' --resource-version=1",
    "# Update pod 'foo' by removing an annotation named 'description' if it exists\n# Does not require the --overwrite flag\nmkctl annotate pods foo description-",
  ]
  static override strict = false
  static override flags = metadataEditFlags('annotations', 'annotation', 'kubectl-annotate')

  async run(): Promise<void> {
    const argv = noOptDefaults(this.argv, {'--dry-run': 'unchanged'})
    const {flags, argv: args} = await this.parse(Annotate, argv)
    const o = new AnnotateOptions(this.io)
    setMetadataEditFlags(o, flags, args as string[])
    await o.complete(this.factory)
    await o.run()
  }
}
