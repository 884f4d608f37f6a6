// csr-approval.test.ts: the approval subresource of CertificateSigningRequests, through the real kubectl.
import assert from 'node:assert/strict'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

const CSR = `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: {name: alice}
spec:
  request: ${Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMIIBAA==\n-----END CERTIFICATE REQUEST-----\n').toString('base64')}
  signerName: kubernetes.io/kube-apiserver-client
  usages: [client auth]
`

describe('certificatesigningrequests/approval', function () {
  this.timeout(60_000)
  let t: TestDaemon
  before(async function () {
    if (!kubectlAvailable()) this.skip()
    t = await startTestDaemon()
  })
  after(async () => t?.stop())

  it('approve sets the Approved condition; a later deny is refused', async () => {
    const c = await t.kubectl(['create', '-f', '-'], {input: CSR})
    assert.equal(c.code, 0, c.stderr)
    const a = await t.kubectl(['certificate', 'approve', 'alice'])
    assert.equal(a.stdout, 'certificatesigningrequest.certificates.k8s.io/alice approved\n')
    const cond = await t.kubectl(['get', 'csr', 'alice', '-o', 'jsonpath={.status.conditions[*].type}'])
    assert.equal(cond.stdout, 'Approved')
    const d = await t.kubectl(['certificate', 'deny', 'alice', '--force'])
    assert.equal(d.code, 1)
    assert.equal(d.stderr, 'error: certificate signing request "alice" is already Approved\n')
  })
})
