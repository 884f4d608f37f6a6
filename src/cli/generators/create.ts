// create.ts holds the Options of every `create <kind>` generator command (kubectl/pkg/cmd/create/create_*.go): each
// keeps the command's inputs, checks them as its Validate does, builds the object (objects.ts) and creates it
// through GeneratorOptions.createTyped with the command's error wording.
import {X509Certificate, createPrivateKey, createHash} from 'node:crypto'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {toJson} from '../../api/gojson.js'
import type {KubeObject} from '../../api/object.js'
import {isConfigMapKey} from '../../api/validation.js'
import {NoResourceMatchError, RawError, UsageError} from '../errors.js'
import {write} from '../io.js'
import {resourcePath} from '../resource/builder.js'
import {toPrinter} from '../printers/index.js'
import {GeneratorOptions, type Target} from './options.js'
import * as gen from './objects.js'

const T = {
  deployments: {group: 'apps', version: 'v1', plural: 'deployments', namespaced: true},
  services: {group: '', version: 'v1', plural: 'services', namespaced: true},
  configmaps: {group: '', version: 'v1', plural: 'configmaps', namespaced: true},
  secrets: {group: '', version: 'v1', plural: 'secrets', namespaced: true},
  namespaces: {group: '', version: 'v1', plural: 'namespaces', namespaced: false},
  serviceaccounts: {group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true},
  jobs: {group: 'batch', version: 'v1', plural: 'jobs', namespaced: true},
  cronjobs: {group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true},
  roles: {group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', namespaced: true},
  clusterroles: {group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', namespaced: false},
  rolebindings: {group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', namespaced: true},
  clusterrolebindings: {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterrolebindings',
    namespaced: false,
  },
  resourcequotas: {group: '', version: 'v1', plural: 'resourcequotas', namespaced: true},
  priorityclasses: {group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', namespaced: false},
  poddisruptionbudgets: {group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true},
  ingresses: {group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', namespaced: true},
} satisfies Record<string, Target>

/** goPathError words a failed stat/open as Go's *PathError.Err does. */
export function goErrno(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory'
    case 'EACCES':
      return 'permission denied'
    case 'ENOTDIR':
      return 'not a directory'
    case 'EISDIR':
      return 'is a directory'
    default:
      return (e as Error).message
  }
}

function statOrThrow(path: string): import('node:fs').Stats {
  try {
    return statSync(path)
  } catch (e) {
    throw new Error(`error reading ${path}: ${goErrno(e)}`, {cause: e})
  }
}

function readOrThrow(path: string): Buffer {
  try {
    return readFileSync(path)
  } catch (e) {
    throw new Error(`open ${path}: ${goErrno(e)}`, {cause: e})
  }
}

/** regularFiles lists a directory's regular files sorted by name, as os.ReadDir does. */
function regularFiles(dir: string): string[] {
  let entries
  try {
    entries = readdirSync(dir, {withFileTypes: true})
  } catch (e) {
    throw new Error(`error listing files in ${dir}: ${goErrno(e)}`, {cause: e})
  }
  return entries
    .filter((d) => d.isFile())
    .map((d) => d.name)
    .sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.compare(Buffer.from(a), Buffer.from(b))))
}

/** forEachFileSource walks --from-file sources (file, key=file, directory), calling add(key, path). */
function forEachFileSource(sources: string[], add: (key: string, path: string) => void): void {
  for (const source of sources) {
    const [key, path] = gen.parseFileSource(source)
    const info = statOrThrow(path)
    if (info.isDirectory()) {
      if (source.includes('=')) throw new Error('cannot give a key name for a directory path')
      for (const name of regularFiles(path)) add(name, join(path, name))
    } else add(key, path)
  }
}

/** forEachEnvFile reads --from-env-file files (cmdutil.AddFromEnvFile). */
function forEachEnvFile(sources: string[], dirMessage: string, add: (key: string, value: string) => void): void {
  for (const source of sources) {
    const info = statOrThrow(source)
    if (info.isDirectory()) throw new Error(dirMessage)
    const lines = gen.splitLines(readOrThrow(source))
    lines.forEach((line, i) => {
      const kv = gen.parseEnvFileLine(line, source, i, (k) => process.env[k])
      if (kv) add(kv[0], kv[1])
    })
  }
}

function isUtf8(b: Buffer): boolean {
  return Buffer.from(b.toString('utf8'), 'utf8').equals(b)
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex')
}

// ---------------------------------------------------------------------------------------------------------------

/** CreateDeploymentOptions is `create deployment`. */
export class CreateDeploymentOptions extends GeneratorOptions {
  images: string[] = []
  port = -1
  replicas = 1
  command: string[] = []

  validate(): void {
    if (this.images.length > 1 && this.command.length > 0)
      throw new Error('cannot specify multiple --image options and command')
  }

  async run(): Promise<void> {
    const obj = gen.deployment({
      name: this.name,
      namespace: this.objectNamespace,
      images: this.images,
      replicas: this.replicas,
      port: this.port,
      command: this.command,
    })
    this.print(await this.createTyped(obj, T.deployments, 'failed to create deployment: '))
  }
}

/** CreateServiceOptions is `create service clusterip|nodeport|loadbalancer|externalname`. */
export class CreateServiceOptions extends GeneratorOptions {
  tcp: string[] = []
  clusterIP = ''
  nodePort = 0
  externalName = ''

  constructor(
    io: ConstructorParameters<typeof GeneratorOptions>[0],
    commandPath: string,
    readonly type: gen.ServiceParams['type'],
  ) {
    super(io, commandPath)
  }

  private params(): gen.ServiceParams {
    return {
      name: this.name,
      namespace: this.objectNamespace,
      type: this.type,
      tcp: this.tcp,
      clusterIP: this.clusterIP,
      nodePort: this.nodePort,
      externalName: this.externalName,
    }
  }

  validate(): void {
    gen.validateServiceParams(this.params())
  }

  async run(): Promise<void> {
    const obj = gen.service(this.params())
    this.print(await this.createTyped(obj, T.services, `failed to create ${this.type} service: `))
  }
}

/** CreateConfigMapOptions is `create configmap`. */
export class CreateConfigMapOptions extends GeneratorOptions {
  fileSources: string[] = []
  literalSources: string[] = []
  envFileSources: string[] = []
  appendHash = false

  validate(): void {
    if (this.name === '') throw new Error('name must be specified')
    if (this.envFileSources.length > 0 && (this.fileSources.length > 0 || this.literalSources.length > 0))
      throw new Error('from-env-file cannot be combined with from-file or from-literal')
  }

  /** build reads the sources in kubectl's order: files, literals, env files. */
  build(): KubeObject {
    const data: Record<string, string> = {}
    const binary: Record<string, Buffer> = {}
    const check = (key: string) => {
      const errs = isConfigMapKey(key)
      if (errs.length > 0)
        throw new Error(`${JSON.stringify(key)} is not a valid key name for a ConfigMap: ${errs.join(',')}`)
      if (key in data)
        throw new Error(
          `cannot add key ${JSON.stringify(key)}, another key by that name already exists in Data for ConfigMap ${JSON.stringify(this.name)}`,
        )
      if (key in binary)
        throw new Error(
          `cannot add key ${JSON.stringify(key)}, another key by that name already exists in BinaryData for ConfigMap ${JSON.stringify(this.name)}`,
        )
    }
    const literal = (key: string, value: string) => {
      check(key)
      data[key] = value
    }
    forEachFileSource(this.fileSources, (key, path) => {
      const content = readOrThrow(path)
      if (isUtf8(content)) literal(key, content.toString('utf8'))
      else {
        check(key)
        binary[key] = content
      }
    })
    for (const s of this.literalSources) literal(...gen.parseLiteralSource(s))
    forEachEnvFile(this.envFileSources, 'env config file cannot be a directory', literal)
    let name = this.name
    if (this.appendHash) {
      const m: Record<string, unknown> = {kind: 'ConfigMap', name, data}
      if (Object.keys(binary).length > 0)
        m.binaryData = Object.fromEntries(Object.entries(binary).map(([k, v]) => [k, v.toString('base64')]))
      name = `${name}-${gen.encodeHash(sha256(toJson(m, '')))}`
    }
    return gen.configMap(name, this.objectNamespace, data, binary)
  }

  async run(): Promise<void> {
    this.print(await this.createTyped(this.build(), T.configmaps, 'failed to create configmap: '))
  }
}

/** secretWithHash renames a secret with its content hash (hash.SecretHash) when asked. */
function secretName(name: string, type: string, data: Record<string, Buffer>, appendHash: boolean): string {
  if (!appendHash) return name
  const enc = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.toString('base64')]))
  return `${name}-${gen.encodeHash(sha256(toJson({kind: 'Secret', type, name, data: enc}, '')))}`
}

/** addSecretKey adds one key to secret data with kubectl's checks (addKeyFromLiteralToSecret). */
function addSecretKey(data: Record<string, Buffer>, key: string, value: Buffer): void {
  const errs = isConfigMapKey(key)
  if (errs.length > 0) throw new Error(`${JSON.stringify(key)} is not valid key name for a Secret ${errs.join(';')}`)
  if (key in data) throw new Error(`cannot add key ${key}, another key by that name already exists`)
  data[key] = value
}

/** CreateSecretGenericOptions is `create secret generic`. */
export class CreateSecretGenericOptions extends GeneratorOptions {
  fileSources: string[] = []
  literalSources: string[] = []
  envFileSources: string[] = []
  type = ''
  appendHash = false

  validate(): void {
    if (this.name === '') throw new Error('name must be specified')
    if (this.envFileSources.length > 0 && (this.fileSources.length > 0 || this.literalSources.length > 0))
      throw new Error('from-env-file cannot be combined with from-file or from-literal')
  }

  /** build reads the sources in kubectl's order: literals, files, env files. */
  build(): KubeObject {
    const data: Record<string, Buffer> = {}
    for (const s of this.literalSources) {
      const [k, v] = gen.parseLiteralSource(s)
      addSecretKey(data, k, Buffer.from(v))
    }
    forEachFileSource(this.fileSources, (key, path) => addSecretKey(data, key, readOrThrow(path)))
    forEachEnvFile(this.envFileSources, 'env secret file cannot be a directory', (k, v) =>
      addSecretKey(data, k, Buffer.from(v)),
    )
    return gen.secret(secretName(this.name, this.type, data, this.appendHash), this.objectNamespace, this.type, data)
  }

  async run(): Promise<void> {
    this.print(await this.createTyped(this.build(), T.secrets, 'failed to create secret '))
  }
}

/** CreateSecretDockerRegistryOptions is `create secret docker-registry`. */
export class CreateSecretDockerRegistryOptions extends GeneratorOptions {
  username = ''
  password = ''
  email = ''
  server = 'https://index.docker.io/v1/'
  fileSources: string[] = []
  appendHash = false

  validate(): void {
    this.fileSources = this.fileSources.map((s) => (s.includes('=') ? s : `.dockerconfigjson=${s}`))
    if (this.name === '') throw new Error('name must be specified')
    if (this.fileSources.length === 0 && (this.username === '' || this.password === '' || this.server === ''))
      throw new Error(
        'either --from-file or the combination of --docker-username, --docker-password and --docker-server is required',
      )
  }

  build(): KubeObject {
    const data: Record<string, Buffer> = {}
    const type = 'kubernetes.io/dockerconfigjson'
    if (this.fileSources.length > 0)
      forEachFileSource(this.fileSources, (key, path) => addSecretKey(data, key, readOrThrow(path)))
    else data['.dockerconfigjson'] = gen.dockerConfigJson(this.username, this.password, this.email, this.server)
    return gen.secret(secretName(this.name, type, data, this.appendHash), this.objectNamespace, type, data)
  }

  async run(): Promise<void> {
    this.print(await this.createTyped(this.build(), T.secrets, 'failed to create secret '))
  }
}

function pemBlocks(text: string): string[] {
  return [...text.matchAll(/-----BEGIN ([^-]+)-----/g)].map((m) => m[1])
}

/** checkKeyPair approximates tls.X509KeyPair's checks and errors. */
export function checkKeyPair(cert: Buffer, key: Buffer): void {
  const certText = cert.toString('latin1')
  const keyText = key.toString('latin1')
  const certTypes = pemBlocks(certText)
  if (certTypes.length === 0) throw new Error('tls: failed to find any PEM data in certificate input')
  if (!certTypes.includes('CERTIFICATE'))
    throw new Error(
      `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${certTypes.join(' ')}]`,
    )
  const keyTypes = pemBlocks(keyText)
  if (keyTypes.length === 0) throw new Error('tls: failed to find any PEM data in key input')
  if (!keyTypes.some((t) => t === 'PRIVATE KEY' || t.endsWith(' PRIVATE KEY')))
    throw new Error(
      `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${keyTypes.join(' ')}]`,
    )
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(cert)
  } catch (e) {
    throw new Error(`x509: malformed certificate`, {cause: e})
  }
  let pk
  try {
    pk = createPrivateKey(key)
  } catch (e) {
    throw new Error('tls: failed to parse private key', {cause: e})
  }
  if (!x509.checkPrivateKey(pk)) throw new Error('tls: private key does not match public key')
}

/** CreateSecretTLSOptions is `create secret tls`. */
export class CreateSecretTLSOptions extends GeneratorOptions {
  cert = ''
  key = ''
  appendHash = false

  validate(): void {
    if (this.key === '' || this.cert === '') throw new Error('key and cert must be specified')
  }

  build(): KubeObject {
    const read = (p: string) => {
      try {
        return readFileSync(p)
      } catch (e) {
        throw new Error(`Cannot read file ${p}, open ${p}: ${goErrno(e)}`, {cause: e})
      }
    }
    const cert = read(this.cert)
    const key = read(this.key)
    checkKeyPair(cert, key)
    const type = 'kubernetes.io/tls'
    const data = {'tls.crt': cert, 'tls.key': key}
    return gen.secret(secretName(this.name, type, data, this.appendHash), this.objectNamespace, type, data)
  }

  async run(): Promise<void> {
    this.print(await this.createTyped(this.build(), T.secrets, 'failed to create secret '))
  }
}

/** CreateNamespaceOptions is `create namespace` (errors are not wrapped). */
export class CreateNamespaceOptions extends GeneratorOptions {
  validate(): void {
    if (this.name === '') throw new Error('name must be specified')
  }

  async run(): Promise<void> {
    this.print(await this.createTyped(gen.namespaceObject(this.name), T.namespaces))
  }
}

/** CreateServiceAccountOptions is `create serviceaccount`. */
export class CreateServiceAccountOptions extends GeneratorOptions {
  validate(): void {
    if (this.name === '') throw new Error('name must be specified')
  }

  async run(): Promise<void> {
    const obj = gen.serviceAccount(this.name, this.objectNamespace)
    this.print(await this.createTyped(obj, T.serviceaccounts, 'failed to create serviceaccount: '))
  }
}

/** CreateJobOptions is `create job` (--image or --from=cronjob/NAME). */
export class CreateJobOptions extends GeneratorOptions {
  image = ''
  from = ''
  command: string[] = []

  validate(): void {
    if ((this.image === '' && this.from === '') || (this.image !== '' && this.from !== ''))
      throw new Error('either --image or --from must be specified')
    if (this.command.length > 0 && this.from !== '') throw new Error('cannot specify --from and command')
  }

  /** fromCronJob fetches the --from object through the mapper, as the builder's ResourceTypeOrNameArgs does. */
  private async fromCronJob(): Promise<KubeObject> {
    const f = this.factory!
    const slash = this.from.indexOf('/')
    if (slash < 0)
      throw new Error(
        `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'mkctl get resource/<resource_name>' instead of 'mkctl get resource resource/<resource_name>'`,
      )
    const mapping = await (await f.mapper()).resourceFor(this.from.slice(0, slash))
    const rest = await f.restClient()
    const obj = await rest.get<KubeObject>(resourcePath(mapping, this.namespace, this.from.slice(slash + 1)))
    if (mapping.kind !== 'CronJob' || mapping.group !== 'batch')
      throw new Error(`unknown object type *${mapping.version}.${mapping.kind}`)
    return obj
  }

  async run(): Promise<void> {
    const obj =
      this.image !== ''
        ? gen.job(this.name, this.objectNamespace, this.image, this.command)
        : gen.jobFromCronJob(this.name, this.objectNamespace, await this.fromCronJob())
    this.print(await this.createTyped(obj, T.jobs, 'failed to create job: '))
  }
}

/** CreateCronJobOptions is `create cronjob` (no Validate in kubectl: the server checks the schedule). */
export class CreateCronJobOptions extends GeneratorOptions {
  image = ''
  schedule = ''
  restart = ''
  command: string[] = []

  validate(): void {}

  async run(): Promise<void> {
    const obj = gen.cronJob({
      name: this.name,
      namespace: this.objectNamespace,
      image: this.image,
      schedule: this.schedule,
      restart: this.restart || 'OnFailure',
      command: this.command,
    })
    this.print(await this.createTyped(obj, T.cronjobs, 'failed to create cronjob: '))
  }
}

/** VALID_RESOURCE_VERBS are the verbs create role knows (others get a warning). */
export const VALID_RESOURCE_VERBS = [
  '*',
  'get',
  'delete',
  'list',
  'create',
  'update',
  'patch',
  'watch',
  'proxy',
  'deletecollection',
  'use',
  'bind',
  'escalate',
  'impersonate',
]

/** VALID_NON_RESOURCE_VERBS are the verbs allowed with --non-resource-url. */
export const VALID_NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options']

/** SPECIAL_VERBS restricts some verbs to the group-resources they make sense for (create_role.go specialVerbs). */
export const SPECIAL_VERBS: Record<string, {group: string; resource: string}[]> = {
  use: [
    {group: 'policy', resource: 'podsecuritypolicies'},
    {group: 'extensions', resource: 'podsecuritypolicies'},
  ],
  bind: [
    {group: 'rbac.authorization.k8s.io', resource: 'roles'},
    {group: 'rbac.authorization.k8s.io', resource: 'clusterroles'},
  ],
  escalate: [
    {group: 'rbac.authorization.k8s.io', resource: 'roles'},
    {group: 'rbac.authorization.k8s.io', resource: 'clusterroles'},
  ],
  impersonate: [
    {group: '', resource: 'users'},
    {group: '', resource: 'serviceaccounts'},
    {group: '', resource: 'groups'},
    {group: 'authentication.k8s.io', resource: 'userextras'},
  ],
}

/** CreateRoleOptions is `create role` (and the base of create clusterrole). */
export class CreateRoleOptions extends GeneratorOptions {
  verbs: string[] = []
  resourceArgs: string[] = []
  resources: gen.ResourceRef[] = []
  resourceNames: string[] = []
  private resolved = new Map<gen.ResourceRef, {group: string; resource: string; miss?: Error}>()

  /** setInputs normalizes verbs, resources and names as Complete does. */
  setInputs(): void {
    this.verbs = gen.uniqueVerbs(this.verbs)
    this.resources = gen.parseResources(this.resourceArgs)
    this.resourceNames = gen.unique(this.resourceNames)
  }

  /** resolve maps each resource through discovery (short names, kinds); a miss keeps what was typed. */
  protected async resolve(ref: gen.ResourceRef): Promise<{group: string; resource: string; miss?: Error}> {
    let r = this.resolved.get(ref)
    if (r) return r
    r = {group: ref.group, resource: ref.resource}
    try {
      const m = await (
        await this.factory!.mapper()
      ).resourceFor(ref.group ? `${ref.resource}.${ref.group}` : ref.resource)
      r = {group: m.group, resource: m.plural}
    } catch (e) {
      if ((e as Error).name !== 'NoResourceMatchError') throw e
      // kubectl prints the restmapper's miss (resource and group apart) without the `error: ` prefix
      r = {...r, miss: new RawError(new NoResourceMatchError(ref.resource, ref.group).message)}
    }
    this.resolved.set(ref, r)
    return r
  }

  protected warnVerbs(): void {
    for (const v of this.verbs)
      if (!VALID_RESOURCE_VERBS.includes(v)) this.io.errOut.write(`Warning: '${v}' is not a standard resource verb\n`)
  }

  /** validateResources is validateResource: subresource without resource, special verbs. */
  protected async validateResources(): Promise<void> {
    for (const r of this.resources) {
      if (r.resource === '') throw new Error('resource must be specified if apiGroup/subresource specified')
      if (r.resource === '*') return
      const res = await this.resolve(r)
      let miss = res.miss
      for (const v of this.verbs) {
        const allowed = SPECIAL_VERBS[v]
        if (!allowed) continue
        if (!allowed.some((a) => a.group === res.group && a.resource === res.resource))
          throw new Error(`can not perform '${v}' on '${res.resource}' in group '${res.group}'`)
        miss = undefined
      }
      if (miss) throw miss
    }
  }

  async validate(): Promise<void> {
    if (this.name === '') throw new Error('name must be specified')
    if (this.verbs.length === 0) throw new Error('at least one verb must be specified')
    this.warnVerbs()
    if (this.resources.length === 0) throw new Error('at least one resource must be specified')
    await this.validateResources()
  }

  protected async rules(nonResourceURLs: string[]): Promise<gen.Obj[]> {
    const res: {group: string; resource: string}[] = []
    for (const r of this.resources) {
      const x =
        r.resource === '*'
          ? {group: r.group, resource: '*'}
          : await this.resolve(r).then((y) => ({group: y.group, resource: y.resource}))
      if (r.subResource) x.resource = `${x.resource}/${r.subResource}`
      res.push(x)
    }
    return gen.policyRules(this.verbs, res, this.resourceNames, nonResourceURLs)
  }

  async run(): Promise<void> {
    const obj = gen.role(this.name, this.objectNamespace, await this.rules([]))
    this.print(await this.createTyped(obj, T.roles))
  }
}

/** CreateClusterRoleOptions is `create clusterrole`. */
export class CreateClusterRoleOptions extends CreateRoleOptions {
  nonResourceURLs: string[] = []
  aggregationRule: Record<string, string> = {}

  override setInputs(): void {
    super.setInputs()
    this.nonResourceURLs = gen.unique(this.nonResourceURLs)
  }

  override async validate(): Promise<void> {
    if (this.name === '') throw new Error('name must be specified')
    if (Object.keys(this.aggregationRule).length > 0) {
      if (
        this.nonResourceURLs.length > 0 ||
        this.verbs.length > 0 ||
        this.resources.length > 0 ||
        this.resourceNames.length > 0
      )
        throw new Error('aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames')
      return
    }
    if (this.verbs.length === 0) throw new Error('at least one verb must be specified')
    if (this.resources.length === 0 && this.nonResourceURLs.length === 0)
      throw new Error('one of resource or nonResourceURL must be specified')
    if (this.resources.length > 0) {
      this.warnVerbs()
      await this.validateResources()
    }
    if (this.nonResourceURLs.length > 0) {
      for (const v of this.verbs)
        if (!VALID_NON_RESOURCE_VERBS.includes(v)) throw new Error(`invalid verb: '${v}' for nonResourceURL`)
      for (const u of this.nonResourceURLs) {
        if (u === '*') continue
        if (u === '' || !u.startsWith('/')) throw new Error('nonResourceURL should start with /')
        if (u.slice(0, -1).includes('*'))
          throw new Error("nonResourceURL only supports wildcard matches when '*' is at the end")
      }
    }
  }

  override async run(): Promise<void> {
    const agg = Object.keys(this.aggregationRule).length > 0
    const obj = gen.clusterRole(
      this.name,
      agg ? null : await this.rules(this.nonResourceURLs),
      agg ? this.aggregationRule : undefined,
    )
    this.print(await this.createTyped(obj, T.clusterroles))
  }
}

/** parseMapStringString reads `k=v,k2=v2` (cliflag.MapStringString, the --aggregation-rule flag). */
export function parseMapStringString(values: string[], flagName: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const v of values) {
    for (const pair of v.split(',')) {
      if (pair === '') continue
      const i = pair.indexOf('=')
      if (i < 0)
        throw new Error(`invalid argument "${v}" for "--${flagName}" flag: malformed pair, expect string=string`)
      out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim()
    }
  }
  return out
}

/** CreateRoleBindingOptions is `create rolebinding`. */
export class CreateRoleBindingOptions extends GeneratorOptions {
  clusterRole = ''
  role = ''
  users: string[] = []
  groups: string[] = []
  serviceAccounts: string[] = []

  validate(): void {
    if (this.name === '') throw new Error('name must be specified')
    if ((this.clusterRole === '') === (this.role === ''))
      throw new Error('exactly one of clusterrole or role must be specified')
  }

  async run(): Promise<void> {
    const ref = this.role ? {kind: 'Role', name: this.role} : {kind: 'ClusterRole', name: this.clusterRole}
    const obj = gen.binding(
      'RoleBinding',
      this.name,
      this.objectNamespace,
      ref,
      gen.subjects(this.users, this.groups, this.serviceAccounts),
    )
    this.print(await this.createTyped(obj, T.rolebindings, 'failed to create rolebinding: '))
  }
}

/** CreateClusterRoleBindingOptions is `create clusterrolebinding`. */
export class CreateClusterRoleBindingOptions extends GeneratorOptions {
  clusterRole = ''
  users: string[] = []
  groups: string[] = []
  serviceAccounts: string[] = []

  validate(): void {}

  async run(): Promise<void> {
    const obj = gen.binding(
      'ClusterRoleBinding',
      this.name,
      undefined,
      {kind: 'ClusterRole', name: this.clusterRole},
      gen.subjects(this.users, this.groups, this.serviceAccounts),
    )
    this.print(await this.createTyped(obj, T.clusterrolebindings, 'failed to create clusterrolebinding: '))
  }
}

/** CreateQuotaOptions is `create quota`. */
export class CreateQuotaOptions extends GeneratorOptions {
  hard = ''
  scopes = ''

  validate(): void {
    if (this.name === '') throw new Error('name must be specified')
  }

  async run(): Promise<void> {
    const obj = gen.quota(this.name, this.objectNamespace, this.hard, this.scopes)
    this.print(await this.createTyped(obj, T.resourcequotas, 'failed to create quota: '))
  }
}

/** CreatePriorityClassOptions is `create priorityclass` (no Validate in kubectl). */
export class CreatePriorityClassOptions extends GeneratorOptions {
  value = 0
  globalDefault = false
  description = ''
  preemptionPolicy = 'PreemptLowerPriority'

  validate(): void {}

  async run(): Promise<void> {
    const obj = gen.priorityClass({
      name: this.name,
      value: this.value,
      globalDefault: this.globalDefault,
      description: this.description,
      preemptionPolicy: this.preemptionPolicy,
    })
    this.print(await this.createTyped(obj, T.priorityclasses, 'failed to create priorityclass: '))
  }
}

/** CreatePodDisruptionBudgetOptions is `create poddisruptionbudget`. */
export class CreatePodDisruptionBudgetOptions extends GeneratorOptions {
  selector = ''
  minAvailable = ''
  maxUnavailable = ''

  validate(): void {
    if (this.name === '') throw new Error('name must be specified')
    if (this.selector === '') throw new Error('a selector must be specified')
    if (this.maxUnavailable === '' && this.minAvailable === '')
      throw new Error('one of min-available or max-unavailable must be specified')
    if (this.maxUnavailable !== '' && this.minAvailable !== '')
      throw new Error('min-available and max-unavailable cannot be both specified')
    const re = /^[0-9]+%?$/
    if (this.minAvailable !== '' && !re.test(this.minAvailable))
      throw new Error('invalid format specified for min-available')
    if (this.maxUnavailable !== '' && !re.test(this.maxUnavailable))
      throw new Error('invalid format specified for max-unavailable')
  }

  async run(): Promise<void> {
    const obj = gen.podDisruptionBudget({
      name: this.name,
      namespace: this.objectNamespace,
      selector: this.selector,
      minAvailable: this.minAvailable,
      maxUnavailable: this.maxUnavailable,
    })
    this.print(await this.createTyped(obj, T.poddisruptionbudgets, 'failed to create poddisruptionbudgets: '))
  }
}

/** CreateIngressOptions is `create ingress`. */
export class CreateIngressOptions extends GeneratorOptions {
  className = ''
  rules: string[] = []
  defaultBackend = ''
  annotations: string[] = []

  validate(): void {
    if (this.defaultBackend === '' && this.rules.length === 0)
      throw new Error(
        'not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)',
      )
    for (const r of this.rules)
      if (!gen.INGRESS_RULE_RE.test(r))
        throw new Error(`rule ${r} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`)
    for (const a of this.annotations)
      if (!a.includes('=')) throw new Error(`annotation ${a} is invalid and should be in format key=[value]`)
    if (this.defaultBackend !== '' && this.defaultBackend.split(':').length !== 2)
      throw new Error('default-backend should be in format servicename:serviceport')
  }

  async run(): Promise<void> {
    const obj = gen.ingress({
      name: this.name,
      namespace: this.objectNamespace,
      className: this.className,
      rules: this.rules,
      defaultBackend: this.defaultBackend,
      annotations: this.annotations,
    })
    this.print(await this.createTyped(obj, T.ingresses, 'failed to create ingress: '))
  }
}

/** BOUND_OBJECT_KINDS are the kinds a token can be bound to, with their apiVersion. */
export const BOUND_OBJECT_KINDS: Record<string, string> = {Node: 'v1', Pod: 'v1', Secret: 'v1'}

/** CreateTokenOptions is `create token SERVICE_ACCOUNT_NAME` (the TokenRequest subresource). */
export class CreateTokenOptions extends GeneratorOptions {
  audiences: string[] = []
  /** durationMs is --duration in milliseconds. */
  durationMs = 0
  boundObjectKind = ''
  boundObjectName = ''
  boundObjectUID = ''

  override async complete(f: Parameters<GeneratorOptions['complete']>[0]): Promise<void> {
    this.factory = f
    const ns = await f.namespace()
    this.namespace = ns.namespace
    this.enforceNamespace = ns.explicit
    this.printer = toPrinter(
      {
        output: this.output,
        template: this.template,
        allowMissingTemplateKeys: this.allowMissingTemplateKeys,
        showManagedFields: this.showManagedFields,
        operation: 'created',
      },
      this.io.out,
    )
  }

  validate(): void {
    if (this.name === '') throw new Error('service account name is required')
    if (this.namespace === '') throw new Error('--namespace is required')
    if (this.durationMs < 0) throw new Error('--duration must be greater than or equal to 0')
    if (this.durationMs % 1000 !== 0) throw new Error('--duration cannot be expressed in units less than seconds')
    for (const a of this.audiences) if (a === '') throw new Error('--audience must not be an empty string')
    const kinds = Object.keys(BOUND_OBJECT_KINDS).sort().join(', ')
    if (this.boundObjectKind === '') {
      if (this.boundObjectName !== '')
        throw new Error('--bound-object-name can only be set if --bound-object-kind is provided')
      if (this.boundObjectUID !== '')
        throw new Error('--bound-object-uid can only be set if --bound-object-kind is provided')
    } else {
      if (!(this.boundObjectKind in BOUND_OBJECT_KINDS))
        throw new Error(`supported --bound-object-kind values are ${kinds}`)
      if (this.boundObjectName === '')
        throw new Error('--bound-object-name is required if --bound-object-kind is provided')
    }
  }

  async run(): Promise<void> {
    const spec: gen.Obj = {
      audiences: this.audiences.length > 0 ? this.audiences : null,
      expirationSeconds: this.durationMs > 0 ? this.durationMs / 1000 : undefined,
      boundObjectRef: this.boundObjectKind
        ? {
            kind: this.boundObjectKind,
            apiVersion: BOUND_OBJECT_KINDS[this.boundObjectKind],
            name: this.boundObjectName,
            uid: this.boundObjectUID || undefined,
          }
        : undefined,
    }
    const request = {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {creationTimestamp: null},
      spec,
      status: {token: '', expirationTimestamp: null},
    }
    const rest = await this.factory!.restClient()
    let res: KubeObject
    try {
      res = await rest.post<KubeObject>(
        `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/serviceaccounts/${encodeURIComponent(this.name)}/token`,
        request,
      )
    } catch (e) {
      throw new Error(`failed to create token: ${(e as Error).message}`, {cause: e})
    }
    const token = ((res.status ?? {}) as {token?: string}).token ?? ''
    if (token === '') throw new Error('failed to create token: no token in server response')
    if (this.output !== '' || this.template) {
      this.print(res)
      return
    }
    await write(this.io.out, this.io.isTerminal ? `${token}\n` : token)
  }
}

/** usage is a UsageError for a command (re-exported for the command classes). */
export {UsageError}
