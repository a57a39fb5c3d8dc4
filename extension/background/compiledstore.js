// @ts-check
/*
 * The compiled glossary on disk (IndexedDB of the extension's own origin, which no web page
 * can open): one record per server URL, {serverUrl, etag, body, savedAt}, where body is the
 * JSON text of GET /v1/compiled. It outlives the worker, so a restarted worker matches at
 * once and only revalidates the ETag. It holds the glossary's forms, never a definition, a
 * token or any page text.
 */
(() => {
  'use strict';

  const DB_NAME = 'termlight';
  const STORE = 'compiled';

  /** @returns {Promise<IDBDatabase>} */
  function open() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'serverUrl' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  /**
   * @param {'readonly' | 'readwrite'} mode
   * @param {(store: IDBObjectStore) => IDBRequest} action
   */
  async function run(mode, action) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = action(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  /**
   * @typedef {{serverUrl: string, etag: string, body: string, savedAt: number}} CompiledRecord
   */
  const compiledStore = Object.freeze({
    /** @param {string} serverUrl @returns {Promise<CompiledRecord | undefined>} */
    get: (serverUrl) => run('readonly', (s) => s.get(serverUrl)).catch(() => undefined),
    /** @param {CompiledRecord} record */
    put: (record) => run('readwrite', (s) => s.put(record)).catch(() => undefined),
    /** @param {string} serverUrl */
    remove: (serverUrl) => run('readwrite', (s) => s.delete(serverUrl)).catch(() => undefined),
  });

  globalThis.termlightCompiledStore = compiledStore;
})();
