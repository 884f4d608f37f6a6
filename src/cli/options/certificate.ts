// certificate.ts holds CertificateOptions for `mkctl certificate approve|deny` (kubectl/pkg/cmd/certificates/
// certificates.go): each CSR named (or read from -f) is fetched, gets an Approved or Denied condition unless it has
// one already (--force sends it anyway), and is written through the certificatesigningrequests/approval subresource.
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {finalError, newBuilder, resourcePath, type Builder} from '../resource/builder.js'
import type {IOStreams} from '../io.js'
import {toPrinter, type ResourcePrinter} from '../printers/index.js'
import {StatusError} from '../../api/errors.js'

interface Condition {
  type: string
  status: string
  reason?: string
  message?: string
  lastUpdateTime?: string
  lastTransitionTime?: string
}

type CSR = KubeObject & {status?: {conditions?: Condition[]; certificate?: string}}

/** CsrAction is what approve and deny differ in. */
export interface CsrAction {
  /** operation is the word printed after the name (`approved`). */
  operation: string
  condition: 'Approved' | 'Denied'
  mustNotHave: 'Approved' | 'Denied'
  reason: string
  message: string
}

/**
 * APPROVE and DENY are kubectl's two condition changes. The reason and message are kubectl's own, word for word: the
 * object a learner inspects afterwards is the one a real cluster would hold.
 */
export const APPROVE: CsrAction = {
  operation: 'approved',
  condition: 'Approved',
  mustNotHave: 'Denied',
  reason: 'KubectlApprove',
  message: 'This CSR was approved by kubectl certificate approve.',
}
export const DENY: CsrAction = {
  operation: 'denied',
  condition: 'Denied',
  mustNotHave: 'Approved',
  reason: 'KubectlDeny',
  message: 'This CSR was denied by kubectl certificate deny.',
}

// rfc3339 is metav1.Now() as JSON carries it: seconds precision, UTC.
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

const isConflict = (e: unknown) => e instanceof StatusError && e.status.reason === 'Conflict'

/** CertificateOptions runs one of approve/deny over names and -f files. */
export class CertificateOptions {
  names: string[] = []
  filenames: string[] = []
  recursive = false
  force = false
  output = ''
  /** now is the client clock for the condition's lastUpdateTime (metav1.Now() in kubectl); tests inject it. */
  now: () => Date = () => new Date()
  private printer?: ResourcePrinter
  private builder?: Builder
  constructor(
    readonly io: IOStreams,
    readonly action: CsrAction,
  ) {}

  async complete(f: Factory): Promise<void> {
    this.printer = toPrinter({output: this.output, operation: this.action.operation}, this.io.out)
    this.validate()
    this.builder = await newBuilder(f, f.io.in, {
      filenames: this.filenames,
      recursive: this.recursive,
      args: this.names.length > 0 ? ['certificatesigningrequests', ...this.names] : [],
    })
  }

  validate(): void {
    if (this.names.length < 1 && this.filenames.length === 0)
      throw new Error('one or more CSRs must be specified as <name> or -f <filename>')
  }

  // modify adds the condition unless present (addConditionIfNeeded); it reports whether it was already there.
  private modify(csr: CSR): boolean {
    const conditions = csr.status?.conditions ?? []
    let has = false
    for (const c of conditions) {
      if (c.type === this.action.mustNotHave)
        throw new Error(`certificate signing request "${csr.metadata?.name ?? ''}" is already ${c.type}`)
      if (c.type === this.action.condition) has = true
    }
    if (has) return true
    csr.status = {
      ...(csr.status ?? {}),
      conditions: [
        ...conditions,
        {
          type: this.action.condition,
          status: 'True',
          reason: this.action.reason,
          message: this.action.message,
          lastUpdateTime: rfc3339(this.now()),
        },
      ],
    }
    return false
  }

  async run(f: Factory): Promise<void> {
    const rest = await f.restClient()
    const errs: Error[] = []
    let found = 0
    for await (const item of this.builder!.visit()) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      const info = item.info
      try {
        // Latest(): the object as the server has it now; that is what gets printed
        const latest = await rest.get<CSR>(resourcePath(info.mapping, info.namespace, info.name))
        const obj: CSR = {apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', ...latest}
        if (obj.kind !== 'CertificateSigningRequest' || !String(obj.apiVersion).startsWith('certificates.k8s.io/')) {
          throw new Error(
            `can only handle CertificateSigningRequest.certificates.k8s.io objects, got ${obj.kind}.${String(obj.apiVersion).split('/')[0]}`,
          )
        }
        const name = obj.metadata?.name ?? info.name
        const path = `/apis/certificates.k8s.io/v1/certificatesigningrequests/${name}`
        for (let i = 0; ; i++) {
          let csr: CSR
          try {
            csr = await rest.get<CSR>(path)
          } catch (e) {
            if (e instanceof StatusError && e.status.reason === 'NotFound')
              throw new Error(`could not find v1 version of ${name}: ${e.message}`, {cause: e})
            throw e
          }
          const has = this.modify(csr)
          if (!has || this.force) {
            try {
              await rest.put(`${path}/approval`, csr)
            } catch (e) {
              if (isConflict(e) && i < 10) continue
              throw e
            }
          }
          break
        }
        found++
        this.printer!.print(obj)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    this.printer!.flush()
    const err = finalError(errs)
    if (found === 0 && !err) this.io.out.write('No resources found\n')
    if (err) throw err
  }
}
