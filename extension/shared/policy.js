// @ts-check
/*
 * Settings an administrator sets by policy (chrome.storage.managed): Chrome's enterprise policy
 * "3rdparty" -> "extensions" -> <extension id>, Firefox's policies.json "3rdparty" ->
 * "Extensions" -> "termlight@termlight.dev". managed_schema.json lists the keys. With
 * `locked: true` the managed values win over what a person saved and the options page shows
 * them read-only; without it they are only defaults.
 *
 * No policy (the usual case, and Firefox without a policies.json) reads as no values.
 */
(() => {
  'use strict';

  const MANAGED_KEYS = Object.freeze(['serverUrl', 'token', 'mode', 'sites', 'disabledSites', 'insecureOk', 'matchMode']);

  /**
   * @returns {Promise<{values: Object<string, unknown>, locked: string[]}>} the managed values
   *   (only keys the schema knows) and the keys a person may not change.
   */
  async function readPolicy() {
    /** @type {Object<string, unknown>} */
    let raw = {};
    try {
      raw = chrome.storage.managed ? await chrome.storage.managed.get(null) : {};
    } catch {
      raw = {};
    }
    /** @type {Object<string, unknown>} */
    const values = {};
    for (const key of MANAGED_KEYS) if (raw && raw[key] !== undefined) values[key] = raw[key];
    const locked = raw && raw.locked === true ? Object.keys(values) : [];
    return { values, locked };
  }

  globalThis.termlightPolicy = Object.freeze({ MANAGED_KEYS, readPolicy });
})();
