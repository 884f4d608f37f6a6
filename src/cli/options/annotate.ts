// annotate.ts holds AnnotateOptions for `mkctl annotate` (kubectl/pkg/cmd/annotate/annotate.go): the twin of label,
// with ParsePairs' looser syntax (values may contain `=`), `annotated` for every object, the server's answer
// printed, and its own wording for overwrite conflicts.
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {getResourcesAndPairs, MetadataEditOptions, parseAnnotationPairs} from './metadata-edit.js'

/** AnnotateOptions updates the annotations of resources. */
export class AnnotateOptions extends MetadataEditOptions {
  override fieldManager = 'kubectl-annotate'
  readonly field = 'annotations'
  readonly noun = 'annotation'
  protected readonly printsServerObject = true
  protected readonly clearsVersionAlways = false

  /** complete follows AnnotateFlags.ToOptions, which also does all of annotate's validation. */
  async complete(f: Factory): Promise<void> {
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    this.parseDryRun()
    // the printer is built up front: a bad -o fails before any request
    this.printer('annotated')
    await this.resolveNamespace(f)
    const {resources, pairs} = getResourcesAndPairs(this.args, 'annotation')
    this.resources = resources
    this.pairs = parseAnnotationPairs(pairs)
    // kubectl compares --list with AnnotateFlags.OutputFormat, which no flag sets: --list -o never fails here
    if (this.all && this.selector) throw new Error('cannot set --all and --selector at the same time')
    if (this.all && this.fieldSelector) throw new Error('cannot set --all and --field-selector at the same time')
    if (!this.local) {
      if (this.resources.length < 1 && this.filenames.length === 0) {
        throw new Error('one or more resources must be specified as <resource> <name> or <resource>/<name>')
      }
    } else {
      if (this.dryRun === 'server') {
        throw new Error('cannot specify --local and --dry-run=server - did you mean --dry-run=client?')
      }
      if (this.resources.length > 0) {
        throw new Error('can only use local files by -f rsrc.yaml or --filename=rsrc.json when --local=true is set')
      }
      if (this.filenames.length === 0) {
        throw new Error('one or more files must be specified as -f rsrc.yaml or --filename=rsrc.json')
      }
    }
    if (this.pairs.set.size < 1 && this.pairs.remove.length < 1 && !this.list) {
      throw new Error('at least one annotation update is required')
    }
    const both = this.pairs.remove.filter((k) => this.pairs.set.has(k))
    if (both.length > 0) {
      throw new Error(
        `can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`,
      )
    }
  }

  // updateAnnotations with validateNoAnnotationOverwrites
  protected update(obj: KubeObject): void {
    if (!this.overwrite) {
      const conflicts = this.overwriteConflicts(obj)
      if (conflicts.length > 0) {
        throw new Error(
          `--overwrite is false but found the following declared annotation(s): ${conflicts
            .map((c) => `'${c.key}' already has a value (${c.value})`)
            .join('; ')}`,
        )
      }
    }
    this.applyPairs(obj)
  }

  protected operation(): string {
    return 'annotated'
  }
}
