// subject.ts holds SetSubjectOptions for `mkctl set subject` (kubectl/pkg/cmd/set/set_subject.go): add users,
// groups and service accounts to RoleBindings and ClusterRoleBindings.
import type {Factory} from '../../client/factory.js'
import {SetOptionsBase, throwAll, type SetInfo} from './common.js'

/** Subject is an rbac/v1 Subject. */
export interface Subject {
  kind: string
  apiGroup?: string
  name: string
  namespace?: string
}

/** SetSubjectOptions adds subjects to role bindings. */
export class SetSubjectOptions extends SetOptionsBase {
  args: string[] = []
  override operation = 'subjects updated'
  users: string[] = []
  groups: string[] = []
  serviceAccounts: string[] = []
  infos: SetInfo[] = []

  /** complete resolves the objects (set_subject.go Complete). */
  async complete(f: Factory): Promise<void> {
    await this.completeBase(f)
    this.infos = await this.loadInfos(this.args)
  }

  /** validate checks the flags and the `namespace:name` service accounts. */
  validate(): void {
    this.localCheck()
    if (this.all && this.selector) throw new Error('cannot set --all and --selector at the same time')
    if (this.users.length === 0 && this.groups.length === 0 && this.serviceAccounts.length === 0) {
      throw new Error('you must specify at least one value of user, group or serviceaccount')
    }
    for (const sa of this.serviceAccounts) {
      const tokens = sa.split(':')
      if (tokens.length !== 2 || tokens[1] === '') throw new Error('serviceaccount must be <namespace>:<name>')
      for (const info of this.infos) {
        if (info.object.kind === 'ClusterRoleBinding' && tokens[0] === '') {
          throw new Error('serviceaccount must be <namespace>:<name>, namespace must be specified')
        }
      }
    }
  }

  private subjects(): Subject[] {
    const sorted = (xs: string[]) => [...new Set(xs)].sort()
    const out: Subject[] = []
    for (const u of sorted(this.users)) out.push({kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: u})
    for (const g of sorted(this.groups)) out.push({kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: g})
    for (const sa of sorted(this.serviceAccounts)) {
      const [ns, name] = sa.split(':')
      out.push({kind: 'ServiceAccount', name, namespace: ns || this.namespace})
    }
    return out
  }

  /** run adds the subjects that are missing and patches each binding. */
  async run(): Promise<void> {
    const errs: Error[] = []
    const wanted = this.subjects()
    await this.patchAll(
      this.infos,
      (obj) => {
        const group = (obj.apiVersion ?? '').split('/')[0]
        if (
          group !== 'rbac.authorization.k8s.io' ||
          (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding')
        ) {
          throw new Error('setting subjects is only supported for RoleBinding/ClusterRoleBinding')
        }
        const o = obj as Record<string, any>
        const existing = (o.subjects ?? []) as Subject[]
        const same = (a: Subject, b: Subject) =>
          a.kind === b.kind &&
          (a.apiGroup ?? '') === (b.apiGroup ?? '') &&
          a.name === b.name &&
          (a.namespace ?? '') === (b.namespace ?? '')
        const updated = [...existing]
        let transformed = false
        for (const s of wanted) {
          if (!existing.some((e) => same(e, s))) {
            updated.push(s)
            transformed = true
          }
        }
        o.subjects = updated
        return transformed
      },
      'failed to patch subjects to rolebinding: ',
      errs,
    )
    throwAll(errs)
  }
}
