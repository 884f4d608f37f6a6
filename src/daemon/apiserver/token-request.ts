// token-request.ts serves a ServiceAccount's `token` subresource (`kubectl create token`): a TokenRequest whose
// token is signed by auth/tokens.ts, so that it authenticates as system:serviceaccount:NS:NAME until it expires or
// its ServiceAccount goes (pkg/registry/core/serviceaccount/storage/token.go). app.ts routes it here before the
// generic handlers.
import type {Request, Response} from 'express'
import type {Tokens} from '../auth/tokens.js'
import type {Clock} from '../clock.js'
import type {Registry} from '../registry/generic.js'
import {decodeObject, mediaType, readRaw} from './body.js'
import {sendError} from './errors.js'
import type {RequestInfo} from './request.js'

/** isTokenRequest says whether a request is a POST to serviceaccounts/NAME/token. */
export function isTokenRequest(method: string, info: RequestInfo): boolean {
  return (
    method === 'POST' &&
    info.group === '' &&
    info.resource.plural === 'serviceaccounts' &&
    info.subresource === 'token' &&
    !!info.name
  )
}

/** serveTokenRequest mints a token for the ServiceAccount (404 when it does not exist). */
export async function serveTokenRequest(
  req: Request,
  res: Response,
  info: RequestInfo,
  registry: Registry,
  clock: Clock,
  tokens: Tokens,
): Promise<void> {
  try {
    const raw = await readRaw(req)
    const body: any = raw.length ? decodeObject(raw, mediaType(req)) : {}
    const ns = info.namespace
    const name = info.name!
    const sa: any = registry.get(info.resource, ns, name)
    const seconds = Number(body?.spec?.expirationSeconds ?? 3600)
    const exp = new Date(clock.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const token = tokens.signServiceAccountToken({
      sub: `system:serviceaccount:${ns}:${name}`,
      uid: String(sa.metadata.uid),
      exp,
    })
    const out = {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {name, namespace: ns, creationTimestamp: null},
      spec: {
        audiences: body?.spec?.audiences ?? ['https://kubernetes.default.svc.cluster.local'],
        expirationSeconds: seconds,
        boundObjectRef: body?.spec?.boundObjectRef ?? null,
      },
      status: {token, expirationTimestamp: exp},
    }
    res.status(201).setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify(out))
  } catch (e) {
    sendError(res, e)
  }
}
