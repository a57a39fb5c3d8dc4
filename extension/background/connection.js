// @ts-check
/*
 * "Test connection", for the options page only (the protocol refuses it from anywhere else):
 * tries the server URL and token typed in the form, before they are saved.
 */
(() => {
  'use strict';

  const { ToWorker, ErrorKind, failure } = globalThis.termlightProtocol;
  const { errorOf } = globalThis.termlightRouter;
  const { testConnection } = globalThis.termlightClient;

  /** @param {{settings: any}} deps */
  function connectionHandlers({ settings }) {
    return {
      /** @param {TestRequest | any} msg */
      async [ToWorker.TEST](msg) {
        const saved = await settings.load();
        const serverUrl = settings.normalizeServerUrl(msg.serverUrl || saved.serverUrl);
        if (!serverUrl) return failure(ErrorKind.BAD_REQUEST, 'That is not an http(s) URL');
        // The saved token belongs to the saved server: it is never sent to another URL, even when
        // the form still shows it. A token typed for the new URL is tried with it.
        const typed = typeof msg.token === 'string' ? msg.token.trim() : saved.token;
        const token = serverUrl === saved.serverUrl || typed !== saved.token ? typed : '';
        try {
          const insecureOk = msg.insecureOk === true || (serverUrl === saved.serverUrl && saved.insecureOk);
          return { result: await testConnection({ ...saved, serverUrl, token, insecureOk }) };
        } catch (err) {
          return errorOf(err);
        }
      },
    };
  }

  globalThis.termlightConnection = Object.freeze({ connectionHandlers });
})();
