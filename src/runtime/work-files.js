// The files the cells write in Python's working directory, kept across a restart of Python
// (a Stop that has to replace the worker, a fatal error): after each run the worker reports
// what changed there, runtime.js keeps a copy, and the next worker writes the copy back.
// Files elsewhere (/tmp, /data) and files over the limits below are not kept.
//
// Runs inside the worker, on Pyodide's Emscripten file system (pyodide.FS).

/** Where Python starts, and the only directory whose files are kept. */
export const WORK_DIR = "/home/pyodide";
/** A larger file is not kept. */
export const MAX_FILE_BYTES = 10e6;
/** Files beyond this many bytes in all, or beyond MAX_FILES, in path order, are not kept. */
export const MAX_TOTAL_BYTES = 20e6;
export const MAX_FILES = 1000;
const MAX_LISTED = 10 * MAX_FILES;   // the listing stops here: a run never waits on a huge tree

/**
 * @typedef {{path: string, bytes: Uint8Array}} KeptFile
 * @typedef {{changed: KeptFile[], removed: string[],
 *            notKept: {count: number, first: {path: string, size: number}[]}}} FileChanges
 *   notKept: how many files are not kept, and the first few of them
 */

export class WorkFiles {
  /** @param {any} FS  pyodide.FS */
  constructor(FS) {
    this.FS = FS;
    this.known = new Map();   // path -> "size:mtime" of the copy the page holds
    this.notKept = JSON.stringify({ count: 0, first: [] });   // the last notKept sent
  }

  /** Writes back the files of the previous worker. @param {KeptFile[]} files */
  restore(files) {
    for (const { path, bytes } of files) {
      try {
        this.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
        this.FS.writeFile(path, bytes);
        this.known.set(path, this.key(this.FS.stat(path)));
      } catch (error) {
        console.warn(`worker: could not restore ${path}: ${error.message ?? error}`);
      }
    }
  }

  /**
   * What changed in WORK_DIR since the last call (or the restore).
   * @returns {FileChanges | null} null when nothing changed
   */
  changes() {
    const found = [];
    try {
      this.walk(WORK_DIR, found);
    } catch (error) {
      console.warn(`worker: could not list ${WORK_DIR}: ${error.message ?? error}`);
      return null;
    }
    found.sort((a, b) => (a.path < b.path ? -1 : 1));
    const changed = [];
    const notKept = [];
    const kept = new Set();
    let total = 0;
    for (const file of found) {
      if (file.size > MAX_FILE_BYTES || total + file.size > MAX_TOTAL_BYTES || kept.size >= MAX_FILES) {
        notKept.push({ path: file.path, size: file.size });
        continue;
      }
      total += file.size;
      kept.add(file.path);
      if (this.known.get(file.path) === file.key) continue;
      try {
        changed.push({ path: file.path, bytes: this.FS.readFile(file.path) });
        this.known.set(file.path, file.key);
      } catch (error) {
        console.warn(`worker: could not read ${file.path}: ${error.message ?? error}`);
      }
    }
    const removed = [...this.known.keys()].filter((path) => !kept.has(path));
    for (const path of removed) this.known.delete(path);
    const summary = { count: notKept.length, first: notKept.slice(0, 3) };
    const listed = JSON.stringify(summary);
    if (!changed.length && !removed.length && listed === this.notKept) return null;
    this.notKept = listed;
    return { changed, removed, notKept: summary };
  }

  key(stat) {
    return `${stat.size}:${stat.mtime.getTime()}`;
  }

  walk(dir, found) {
    for (const name of this.FS.readdir(dir)) {
      if (found.length >= MAX_LISTED) return;
      if (name === "." || name === "..") continue;
      const path = `${dir}/${name}`;
      const stat = this.FS.lstat(path);
      if (this.FS.isDir(stat.mode)) this.walk(path, found);
      else if (this.FS.isFile(stat.mode)) found.push({ path, size: stat.size, key: this.key(stat) });
    }
  }
}

/** Page side: the copy runtime.js holds, updated with each run's changes. */
export class KeptFiles {
  constructor() {
    /** @type {Map<string, KeptFile>} */
    this.files = new Map();
    this.notKept = { count: 0, first: [] };
  }

  /** @param {FileChanges} changes */
  apply(changes) {
    for (const file of changes.changed) this.files.set(file.path, file);
    for (const path of changes.removed) this.files.delete(path);
    this.notKept = changes.notKept;
  }

  /** For the next worker's restore(). @returns {KeptFile[]} */
  list() {
    return [...this.files.values()];
  }

  /** What a restart keeps: {paths, notKept}, paths relative to WORK_DIR. */
  summary() {
    const relative = (path) => path.slice(WORK_DIR.length + 1);
    return {
      paths: [...this.files.keys()].map(relative),
      notKept: { count: this.notKept.count, first: this.notKept.first.map((f) => ({ ...f, path: relative(f.path) })) },
    };
  }
}
