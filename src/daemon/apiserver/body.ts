// body.ts reads request bodies as raw bytes and decodes them by Content-Type: JSON, YAML (the apiserver accepts
// application/yaml) and Kubernetes protobuf (kubectl 1.32's typed create commands send it, kubectl-api.md §8).
import type {Request} from 'express'
import {parse as parseYaml} from 'yaml'
import {badRequest, tooLarge, unsupportedMediaType} from '../../api/errors.js'
import {decodeProtobufBody} from './protobuf/decode.js'
import {requestBodies} from '../journal/bodies.js'

/** MAX_BODY is the apiserver's request size limit (3 MiB). */
export const MAX_BODY = 3 * 1024 * 1024

/** readRaw collects the request body, refusing bodies over MAX_BODY. */
export async function readRaw(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_BODY) throw tooLarge()
    chunks.push(c as Buffer)
  }
  const body = Buffer.concat(chunks)
  requestBodies.set(req, body)
  return body
}

/** mediaType is the Content-Type without parameters, lower-cased. */
export function mediaType(req: Request): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase()
}

/** decodeObject turns a create/update body into an object. */
export function decodeObject(raw: Buffer, type: string): any {
  if (type === 'application/vnd.kubernetes.protobuf') {
    try {
      return decodeProtobufBody(raw).object
    } catch (e) {
      throw badRequest(`failed to decode protobuf body: ${(e as Error).message}`)
    }
  }
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') return parseYamlBody(raw)
  if (type === '' || type === 'application/json' || type === '*/*') return parseJsonBody(raw)
  throw unsupportedMediaType(type)
}

/** parseJsonBody parses JSON with the apiserver's wording for broken input. */
export function parseJsonBody(raw: Buffer): any {
  const text = raw.toString('utf8')
  if (text.trim() === '') throw badRequest("Object 'Kind' is missing in ''")
  try {
    return JSON.parse(text)
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`)
  }
}

function parseYamlBody(raw: Buffer): any {
  try {
    // logLevel 'error': a client's odd directives or tags are its own business, not warnings on the daemon's stderr.
    return parseYaml(raw.toString('utf8'), {version: '1.1', logLevel: 'error'})
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`)
  }
}
