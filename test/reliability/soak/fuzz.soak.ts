// fuzz.soak.ts — the long variant of the reliability suites, run by `npm run soak` (not by `npm test`: the file
// does not end in .test.ts). The fuzz suites run with 20 times their cases (MKCTL_FUZZ_SCALE, unless already set),
// and the crash suite runs again under three more seeds (24 SIGKILL points each, 72 more in all): every import
// below is a separate module instance (the query string), and each reads its settings from the environment when
// it loads.
process.env.MKCTL_FUZZ_SCALE ??= '20'

for (const suite of [
  'fuzz-manifests',
  'fuzz-patches',
  'fuzz-query',
  'fuzz-protobuf',
  'fuzz-cli',
  'fuzz-limits',
  'storage-faults',
]) {
  await import(`../${suite}.test.ts?soak`)
}

const CRASH_SEEDS = (process.env.MKCTL_SOAK_CRASH_SEEDS ?? '1,2,3').split(',').filter(Boolean)
for (const seed of CRASH_SEEDS) {
  process.env.MKCTL_CRASH_SEED = seed
  await import(`../crash.test.ts?seed=${seed}`)
}
delete process.env.MKCTL_CRASH_SEED
