// @ts-check
/*
 * The worker's one message listener. A message is handled only when its type is in the
 * protocol and its sender is one the protocol allows for that type (see shared/protocol.js);
 * anything else gets a 'forbidden' error reply, and a message of an unknown type no reply.
 */
(() => {
  'use strict';

  const protocol = globalThis.termlightProtocol;

  /** @param {unknown} err */
  function errorOf(err) {
    const e = /** @type {any} */ (err);
    if (e && typeof e.toJSON === 'function') return { error: e.toJSON() };
    return protocol.failure(protocol.ErrorKind.HTTP, String((e && e.message) || e));
  }

  /**
   * @param {Object<string, (msg: any, sender: chrome.runtime.MessageSender) => Promise<any>>} handlers
   */
  function listen(handlers) {
    chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
      const type = msg && typeof msg.type === 'string' ? msg.type : '';
      if (!Object.prototype.hasOwnProperty.call(handlers, type)) return false;
      if (!protocol.allowed(type, sender)) {
        sendResponse(protocol.failure(protocol.ErrorKind.FORBIDDEN, `termlight does not accept "${type}" from there`));
        return false;
      }
      handlers[type](msg, sender).then(sendResponse, (err) => sendResponse(errorOf(err)));
      return true; // the answer comes asynchronously
    });
  }

  globalThis.termlightRouter = Object.freeze({ listen, errorOf });
})();
