// tls.ts makes the profile's certificate authority and the daemon's serving certificate (ECDSA P-256, made with
// @peculiar/x509 in ~30 ms: reference/libraries.md §11). The CA is made once per profile and reused, so
// kubeconfigs written earlier keep working across restarts.
import 'reflect-metadata'
import {webcrypto} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto as any)

type CryptoKey = webcrypto.CryptoKey
type CryptoKeyPair = webcrypto.CryptoKeyPair
type KeyUsage = webcrypto.KeyUsage

/** TLSMaterial is what the HTTPS server and the kubeconfig need, PEM encoded. */
export interface TLSMaterial {
  caCert: string
  cert: string
  key: string
}

const ALG = {name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256'} as const

function pemKey(der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`
}

async function importKey(pem: string, usage: KeyUsage[]): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
  return webcrypto.subtle.importKey('pkcs8', der, ALG, true, usage) as Promise<CryptoKey>
}

/** generateTLS makes a CA (unless one is given) and a serving certificate for 127.0.0.1 and localhost. */
export async function generateTLS(ca?: {cert: string; key: string}, now = Date.now()): Promise<TLSMaterial & {caKey: string}> {
  const notBefore = new Date(now - 60_000)
  const notAfter = new Date(now + 10 * 365 * 24 * 3600_000)
  let caCert: x509.X509Certificate
  let caKeyPem: string
  let caPrivate: CryptoKey
  if (ca) {
    caCert = new x509.X509Certificate(ca.cert)
    caKeyPem = ca.key
    caPrivate = await importKey(ca.key, ['sign'])
  } else {
    const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair
    caCert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
      name: 'CN=mkctlCA',
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    })
    caPrivate = keys.privateKey
    caKeyPem = pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  }
  const serverKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
    subject: 'CN=minikube',
    issuer: caCert.subject,
    notBefore,
    notAfter,
    signingKey: caPrivate,
    publicKey: serverKeys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([
        {type: 'ip', value: '127.0.0.1'},
        {type: 'dns', value: 'localhost'},
        {type: 'dns', value: 'kubernetes'},
        {type: 'dns', value: 'kubernetes.default'},
        {type: 'dns', value: 'kubernetes.default.svc'},
        {type: 'dns', value: 'kubernetes.default.svc.cluster.local'},
        {type: 'ip', value: '10.96.0.1'},
      ]),
    ],
  })
  return {
    caCert: caCert.toString('pem') + '\n',
    caKey: caKeyPem,
    cert: cert.toString('pem') + '\n',
    key: pemKey(await webcrypto.subtle.exportKey('pkcs8', serverKeys.privateKey)),
  }
}

/**
 * ensureProfileTLS reads the profile's CA (making it on first start) and makes a fresh serving certificate.
 * Key files are written mode 0600.
 */
export async function ensureProfileTLS(dir: string): Promise<TLSMaterial> {
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const caCrt = join(dir, 'ca.crt')
  const caKey = join(dir, 'ca.key')
  const existing = existsSync(caCrt) && existsSync(caKey) ? {cert: readFileSync(caCrt, 'utf8'), key: readFileSync(caKey, 'utf8')} : undefined
  const m = await generateTLS(existing)
  if (!existing) {
    writeFileSync(caCrt, m.caCert, {mode: 0o644})
    writeFileSync(caKey, m.caKey, {mode: 0o600})
  }
  writeFileSync(join(dir, 'server.crt'), m.cert, {mode: 0o644})
  writeFileSync(join(dir, 'server.key'), m.key, {mode: 0o600})
  return {caCert: m.caCert, cert: m.cert, key: m.key}
}
