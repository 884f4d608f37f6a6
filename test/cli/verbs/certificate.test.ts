// certificate.test.ts compares `mkctl certificate approve|deny` with kubectl 1.32's on twin daemons: the lines
// printed, -o, the already-approved/denied errors, NotFound, and the resulting objects.
import assert from 'node:assert/strict'
import {startTwins, type Twins} from '../../helpers/differential.js'

// a PEM certificate request for CN=alice, as openssl req -new writes it
const REQUEST =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlJQ1ZUQ0NBVDBDQVFBd0VERU9NQXdHQTFVRUF3d0ZZV3hwWTJVd2dnRWlNQTBHQ1NxR1NJYjNEUUVCQVFVQQpBNElCRHdBd2dnRUtBb0lCQVFDYXdidjdjVGxNRjBBb1U3dkpsLzQxZnQrblF4NytNK1U2eWZWMHgvNk5IUXdyCk9mcm1CSWFYRDNiQjdNOStWNXkxZVVuMzZDcmd6U2t6YlFKbjJhdktpQjJqaFdHdUFtVFhpNlh1WENCWFNUaDQKaDZwME9vRWtvZXVWeUwxZnZ3NkFxVUFKOW9WSENJMVp4K3hoWS9GUUpwVDJnN1QyS1J4U3hwcGNzOWNGV1hFVwpiZmZkUjVpZFZaNGYrZ0pOREVpNkI0N3U3L0JmWGtnRW1yTkwwRVpmYmRPWWo0LzlmV0tNa2ZYbzV4L05BNFluCktoT09CUkRFbC8xUHVLUk5QRFRHcFVzeCtpOFpPU1l5aytibmJaQXQxRXlKNWdGdDdDWVNzaHV5MmZZSDN5aDYKY2lma0c2ejZ2dmRzZTcveVBsNzczbUZLMHFScFFVTlRIM25IU0xWWkFnTUJBQUdnQURBTkJna3Foa2lHOXcwQgpBUXNGQUFPQ0FRRUFKdUd6SkV1WVQzTVlTWW9xOUxET3djRFBwT1ZwU3ZSOGlSSUNjV3hKWU5jQStWblZ0dEtMCkplM0hySFBaajdCZDNrK1UwcHh6TnRaaHl6Tkt3Sml6b0xMSDdadzdUVDBKMXF3VEhFWW91Q2gyeHJxOGZQVDgKVU4rRE5JMlpBMDhGVERMcU1yZTFrQVhuQUlnaFlxN3krZWRtVXQ2ZFBOeEFPU2xtRGl4eDYxNjRDd2lQQVg2eQphaXhmcHZXcm5MMDdEQ1hpUlpNU1hwbDBGTmhiQlFtZThSR1pQWjZPTWhZb3VZVGM4TG9mT0JjNWVOWHllYStrCkVtQU84NE93aWJKUGk5a2ZuM3k2cGp3QWNlQWJLWGFWN2diandTOTN0R3pHNVNUbVZ6Qy9OL2Q3UFl6dFR4aW0KYjRVeFdTUHRaWk1JcWtNOGJLakFBbDcwUDhEMjJ5T2hBUT09Ci0tLS0tRU5EIENFUlRJRklDQVRFIFJFUVVFU1QtLS0tLQo='

function csr(name: string): string {
  return [
    'apiVersion: certificates.k8s.io/v1',
    'kind: CertificateSigningRequest',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  request: ${REQUEST}`,
    '  signerName: kubernetes.io/kube-apiserver-client',
    '  usages: [client auth]',
    '',
  ].join('\n')
}

describe('mkctl certificate (differential)', function () {
  this.timeout(120000)
  let t: Twins
  before(async function () {
    t = await startTwins(this)
    await t.setup(['create', '-f', '-'], {input: csr('alice') + '---\n' + csr('bob')})
  })
  after(async () => t?.stop())

  // the objects are compared without the condition's lastUpdateTime, which is each client's wall clock
  const sameCsr = async (name: string) => {
    const r = await t.both(['get', 'csr', name, '-o', 'yaml'])
    const strip = (s: string) => s.replace(/lastUpdateTime: .*/g, 'lastUpdateTime: <TIME>')
    assert.equal(strip(r.mkctl.stdout), strip(r.kubectl.stdout))
  }

  it('approves, then refuses to deny, and --force re-sends', async () => {
    await t.same(['certificate', 'approve', 'alice'])
    await sameCsr('alice')
    await t.same(['certificate', 'deny', 'alice'])
    await t.same(['certificate', 'approve', 'alice', '--force'])
    await sameCsr('alice')
  })

  it('takes several names, -f and -o', async () => {
    await t.same(['certificate', 'deny', 'bob', '-o', 'name'])
    await t.same(['certificate', 'approve', 'alice', 'bob'])
    await t.same(['certificate', 'approve', '-f', '-'], {input: csr('alice')})
    await sameCsr('bob')
  })

  const errors = [
    ['approve'],
    ['deny'],
    ['approve', 'nope'],
    ['approve', 'alice', 'nope', 'bob'],
    ['approve', 'alice', '-o', 'foo'],
    ['approve', '-f', 'missing.yaml'],
    ['deny', 'alice', '--bogus'],
  ]
  for (const args of errors) {
    it(`certificate ${args.join(' ')} fails as kubectl does`, async () => {
      const r = await t.same(['certificate', ...args])
      assert.equal(r.code, 1)
    })
  }
})
