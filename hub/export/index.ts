/**
 * Exports of stored meter data in vendor formats: CMEP MEPMD01 (`busbar export cmep`,
 * GET /api/exports/cmep), written from the meter data core's interval export (mdm/export/) by
 * the CMEP adapter's writer, with the parameters both take parsed in one place.
 */
export { CMEP_CONTENT_TYPE, CMEP_LINE_END, CMEP_SENDER_ID, cmepChunks, cmepStamp, cmepText, openCmepExport, type CmepBatch, type CmepExport, type CmepExportOptions } from './cmep-export.js';
export {
  CMEP_EXPORT_PARAMETERS,
  DEFAULT_VALUE_MODE,
  EXPORT_INTERVAL_MINUTES,
  parseCmepExportInput,
  type CmepExportInput,
  type CmepExportParameter,
  type CmepExportRequest,
  type ParameterProblem,
} from './cmep-parameters.js';
export { EXPORT_PROFILE, exportableUnits, readingTypesOfUnits, type UnitsProblem } from './cmep-units.js';
