// index.ts re-exports the patch algorithms shared by the daemon (PATCH requests) and the CLI (apply, edit, patch).

export {PatchError} from './errors.js'
export {applyJsonPatch, decodeJsonPatch, type JsonPatchOperation} from './json-patch.js'
export {applyMergePatch, createMergePatch, createThreeWayMergePatch as createThreeWayJsonMergePatch} from './merge.js'
export {
  builtinPatchSchema,
  builtinSchemaForType,
  builtinTypeName,
  openApiPatchSchema,
  type OpenApiDocument,
  type PatchField,
  type PatchSchema,
} from './schema.js'
export {
  applyStrategicMergePatch,
  createThreeWayMergePatch,
  createTwoWayMergePatch,
  mergeStrategicMergePatches,
  type ThreeWayOptions,
} from './strategic.js'
