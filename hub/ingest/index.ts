/**
 * File ingest for configured sources: `importFiles` (what `busbar import` runs), the record of
 * imported files that makes a repeated import a no-op, and the drop-folder watcher the hub runs
 * for each source with a `dropFolder`.
 */
export { DONE_FOLDER, FAILED_FOLDER, watchDropFolder, type DropFolderWatcher } from './drop-folder.js';
export { hashFile } from './file-hash.js';
export { importFile, importFiles, importSource, totalsOf, type FileOutcome, type FileProgress, type ImportFileOptions, type ImportTotals, type IngestDependencies } from './import-files.js';
export { findImportedFile, recordImportedFile, type ImportedFile } from './imported-files.js';
