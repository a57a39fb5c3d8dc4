// What the extension's scripts get from their environment beyond the DOM and chrome.*:
// the background service worker's importScripts.
declare function importScripts(...urls: string[]): void;
