// ingress.ts is `mkctl create ingress` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreateIngressOptions} from '../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../generators/options.js'

/** CreateIngress: create an ingress with the specified name. */
export default class CreateIngress extends GeneratorCommand {
  static override summary = 'Create an ingress with the specified name'
  static override description = 'Create an ingress with the specified name.'
  static override examples = [
    '# Create a single ingress called \'simple\' that directs requests to foo.com/bar to svc\n# svc1:8080 with a TLS secret "my-cert"\nmkctl create ingress simple --rule="foo.com/bar=svc1:8080,tls=my-cert"',
    '# Create a catch all ingress of "/path" pointing to service svc:port and Ingress Class as "otheringress"\nmkctl create ingress catch-all --class=otheringress --rule="/path=svc:port"',
    '# Create an ingress with two annotations: ingress.annotation1 and ingress.annotations2\nmkctl create ingress annotated --class=default --rule="foo.com/bar=svc:port" --annotation ingress.annotation1=foo --annotation ingress.annotation2=bla',
    '# Create an ingress with the same host and multiple paths\nmkctl create ingress multipath --class=default --rule="foo.com/=svc:port" --rule="foo.com/admin/=svcadmin:portadmin"',
    '# Create an ingress with multiple hosts and the pathType as Prefix\nmkctl create ingress ingress1 --class=default --rule="foo.com/path*=svc:8080" --rule="bar.com/admin*=svc2:http"',
    '# Create an ingress with TLS enabled using the default ingress certificate and different path types\nmkctl create ingress ingtls --class=default --rule="foo.com/=svc:https,tls" --rule="foo.com/path/subpath*=othersvc:8080"',
    '# Create an ingress with TLS enabled using a specific secret and pathType as Prefix\nmkctl create ingress ingsecret --class=default --rule="foo.com/*=svc:8080,tls=secret1"',
    '# Create an ingress with a default backend\nmkctl create ingress ingdefault --class=default --default-backend=defaultsvc:http --rule="foo.com/*=svc:8080,tls=secret1"',
  ]
  static override flags = {
    ...createFlags,
    class: Flags.string({summary: 'Ingress Class to be used'}),
    rule: Flags.string({
      multiple: true,
      summary:
        "Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional.",
    }),
    'default-backend': Flags.string({summary: 'Default service for backend, in format of svcname:port'}),
    annotation: Flags.string({
      multiple: true,
      summary: 'Annotation to insert in the ingress object, in the format annotation=value',
    }),
  }

  override get commandPath(): string {
    return 'mkctl create ingress'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {class?: string; rule?: string[]; 'default-backend'?: string; annotation?: string[]}
    >(CreateIngress)
    const o = new CreateIngressOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.className = flags.class ?? ''
    o.rules = flags.rule ?? []
    o.defaultBackend = flags['default-backend'] ?? ''
    o.annotations = flags.annotation ?? []
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
