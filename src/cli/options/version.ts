// version.ts holds VersionOptions for `mkctl version` (kubectl/pkg/cmd/version/version.go). mkctl prints no
// "Kustomize Version" line: it bundles no kustomize, and claiming one would mislead (-k is not supported).
import type {IOStreams} from '../io.js'
import type {VersionInfo} from '../client/discovery.js'
import {MKCTL_VERSION} from '../client/rest.js'
import {UsageError} from '../errors.js'
import {toYaml} from '../printers/yaml.js'
import {goJSON} from './config.js'

/** clientVersionInfo is mkctl's version.Info: the Kubernetes release it speaks, built by node. */
export function clientVersionInfo(): VersionInfo {
  const [, major, minor] = /^v(\d+)\.(\d+)/.exec(MKCTL_VERSION) ?? ['', '1', '32']
  return {
    major,
    minor,
    gitVersion: MKCTL_VERSION,
    gitCommit: '',
    gitTreeState: '',
    buildDate: '',
    goVersion: process.version,
    compiler: 'node',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  }
}

/** VersionSource is what VersionOptions needs to ask the server. */
export interface VersionSource {
  serverVersion(): Promise<VersionInfo>
}

/** VersionOptions prints client and server versions. */
export class VersionOptions {
  client = false
  output = ''
  constructor(readonly io: IOStreams) {}

  validate(args: string[]): void {
    if (args.length > 0) throw new UsageError(`extra arguments: [${args.join(' ')}]`)
    if (this.output !== '' && this.output !== 'yaml' && this.output !== 'json') {
      throw new Error("--output must be 'yaml' or 'json'")
    }
  }

  async run(server: () => Promise<VersionSource>): Promise<void> {
    const clientVersion = clientVersionInfo()
    let serverVersion: VersionInfo | undefined
    let serverErr: unknown
    if (!this.client) {
      try {
        serverVersion = await (await server()).serverVersion()
      } catch (e) {
        serverErr = e
      }
    }
    // Go struct order: clientVersion, kustomizeVersion (omitted), serverVersion
    const info: Record<string, unknown> = {clientVersion: ordered(clientVersion)}
    if (serverVersion) info.serverVersion = ordered(serverVersion)
    if (this.output === 'json') this.io.out.write(goJSON(info, '  ') + '\n')
    else if (this.output === 'yaml') this.io.out.write(toYaml(info))
    else {
      this.io.out.write(`Client Version: ${clientVersion.gitVersion}\n`)
      if (serverVersion) this.io.out.write(`Server Version: ${serverVersion.gitVersion}\n`)
    }
    if (serverVersion) {
      const skew = Math.abs(minorOf(clientVersion.minor) - minorOf(serverVersion.minor))
      if (clientVersion.major === serverVersion.major && skew > 1) {
        this.io.errOut.write(
          `WARNING: version difference between client (${clientVersion.major}.${minorOf(clientVersion.minor)}) and server (${serverVersion.major}.${minorOf(serverVersion.minor)}) exceeds the supported minor version skew of +/-1\n`,
        )
      }
    }
    if (serverErr) throw serverErr
  }
}

function minorOf(m: string): number {
  return Number.parseInt(m, 10)
}

const VERSION_KEYS = [
  'major', 'minor', 'emulationMajor', 'emulationMinor', 'minCompatibilityMajor', 'minCompatibilityMinor', 'gitVersion',
  'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform',
] // prettier-ignore

function ordered(v: VersionInfo): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of VERSION_KEYS) if (v[k] !== undefined) out[k] = v[k]
  return out
}
