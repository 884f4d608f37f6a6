// reporter.cjs is mocha's spec reporter plus one closing line, "N passed, N failed", that CI reads.
const Mocha = require('mocha')

class PassedFailed extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options)
    runner.once('end', () => {
      const s = runner.stats || {passes: 0, failures: 0, pending: 0}
      const skipped = s.pending ? `, ${s.pending} skipped` : ''
      process.stdout.write(`${s.passes} passed, ${s.failures} failed${skipped}\n`)
    })
  }
}
module.exports = PassedFailed
