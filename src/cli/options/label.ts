// label.ts holds LabelOptions for `mkctl label` (kubectl/pkg/cmd/label/label.go): Complete parses the pairs,
// Validate checks the flag combinations, Run patches every object with a JSON merge patch of its labels and prints
// `labeled`, `unlabeled` or `not labeled` (the operation word is chosen by comparing the JSON before and after).
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {GoAggregate} from '../resource/builder.js'
import {getResourcesAndPairs, MetadataEditOptions, parseLabelPairs} from './metadata-edit.js'

/** LabelOptions updates the labels of resources. */
export class LabelOptions extends MetadataEditOptions {
  override fieldManager = 'kubectl-label'
  readonly field = 'labels'
  readonly noun = 'label'
  protected readonly printsServerObject = false
  protected readonly clearsVersionAlways = true

  /** complete follows LabelOptions.Complete, then Validate, in kubectl's order. */
  async complete(f: Factory): Promise<void> {
    this.parseDryRun()
    const {resources, pairs} = getResourcesAndPairs(this.args, 'label')
    this.resources = resources
    this.pairs = parseLabelPairs(pairs)
    if (this.list && this.output) throw new Error('--list and --output may not be specified together')
    await this.resolveNamespace(f)
    this.validate()
  }

  /** validate follows LabelOptions.Validate. */
  validate(): void {
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    if (this.all && this.selector) throw new Error('cannot set --all and --selector at the same time')
    if (this.all && this.fieldSelector) throw new Error('cannot set --all and --field-selector at the same time')
    if (this.local) {
      if (this.dryRun === 'server') {
        throw new Error('cannot specify --local and --dry-run=server - did you mean --dry-run=client?')
      }
      if (this.resources.length > 0) {
        throw new Error('can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set')
      }
      if (this.filenames.length === 0)
        throw new Error('one or more files must be specified as -f pod.yaml or --filename=pod.json')
    } else if (this.resources.length < 1 && this.filenames.length === 0) {
      throw new Error('one or more resources must be specified as <resource> <name> or <resource>/<name>')
    }
    if (this.pairs.set.size < 1 && this.pairs.remove.length < 1 && !this.list) {
      throw new Error('at least one label update is required')
    }
  }

  // labelFunc: without --overwrite, changing an existing value is an error (one line per key, as an aggregate)
  protected update(obj: KubeObject): void {
    if (!this.overwrite) {
      const conflicts = this.overwriteConflicts(obj)
      if (conflicts.length > 0) {
        throw new GoAggregate(
          conflicts.map((c) => new Error(`'${c.key}' already has a value (${c.value}), and --overwrite is false`)),
        )
      }
    }
    this.applyPairs(obj)
  }

  // updateDataChangeMsg
  protected operation(oldJson: string, newJson: string): string {
    if (oldJson === newJson) return 'not labeled'
    if (!this.overwrite && newJson.length < oldJson.length) return 'unlabeled'
    return 'labeled'
  }
}
