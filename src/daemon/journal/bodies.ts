// bodies.ts lets the journal see request bodies: the API server reads each body once (apiserver/body.ts readRaw)
// and records it here, so that the journal, called when the response is finished, can keep what was written.
// A WeakMap: the bodies go away with their requests.

/** requestBodies maps a request to the raw body the API server read from it. */
export const requestBodies = new WeakMap<object, Buffer>()
