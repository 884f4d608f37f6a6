// index.ts: the runtime's public surface.
export {CATALOG} from './catalog.js'
export type {Behavior, HttpAnswer, ImageDef, ImageVariant, OsFamily} from './catalog-types.js'
export {ImageFileError, loadImageFile, parseImageDefs} from './image-file.js'
export {ImageIndex, digestOf, type CatalogImage} from './images.js'
export {accessLogLine, type AccessLogFormat} from './logfmt.js'
export {
  ImageReferenceError,
  familiarName,
  invalidImageNameMessage,
  parseReference,
  type ImageReference,
} from './reference.js'
export {
  KUBE_PROBE_UA,
  MAX_LOG_LINES,
  RuntimeContainer,
  START_ERROR,
  containerEnv,
  createRuntime,
  expandK8sVars,
  pullErrorMessage,
  startErrorMessage,
  type RuntimeOptions,
  type SimRuntime,
} from './runtime.js'
export type {HttpRequest, HttpResponse} from './shell/types.js'
