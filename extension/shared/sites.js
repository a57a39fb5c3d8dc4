// @ts-check
/*
 * Site access: which pages termlight may read. The background worker (content-script
 * registration, the "may I run here?" answer), the options page and the popup load this file,
 * so they agree on every rule.
 *
 * Two modes:
 *   - 'sites' ("on sites I choose", the default): only sites the person chose in the popup
 *     ("Highlight on this site", which asks the browser for that one origin), plus, while the
 *     server runs on this machine, pages served from this machine (localhost, 127.0.0.1): their
 *     text never leaves the computer. A one-off "Highlight this page" covers one tab.
 *   - 'everywhere': every http(s) page, an explicit opt-in that asks for access to all sites.
 * The disable list and the global switch win over both.
 *
 * A site is written `scheme://host` (no port, no path, lower case, no trailing dot), because
 * browser match patterns and permissions ignore ports.
 */
(() => {
  'use strict';

  const Mode = Object.freeze({ SITES: 'sites', EVERYWHERE: 'everywhere' });

  /** The page patterns the manifest grants without asking (its host_permissions). */
  const LOOPBACK_PATTERNS = Object.freeze(['http://localhost/*', 'http://127.0.0.1/*']);
  const LOOPBACK_SITES = Object.freeze(['http://localhost', 'http://127.0.0.1']);
  const ALL_SITES = Object.freeze(['http://*/*', 'https://*/*']);

  /** @param {string} host */
  function stripDot(host) {
    return host.toLowerCase().replace(/\.+$/, '');
  }

  /** Whether a host name is this machine: localhost (and *.localhost), 127.0.0.0/8, ::1. @param {string} host */
  function isLoopbackHost(host) {
    const h = stripDot(host || '');
    return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '[::1]';
  }

  /** @param {string} serverUrl */
  function serverIsLocal(serverUrl) {
    try {
      return isLoopbackHost(new URL(serverUrl).hostname);
    } catch {
      return false;
    }
  }

  /**
   * The site of a page URL or of a typed entry ("wiki.example.org" means https), or null.
   * @param {string} value
   */
  function siteOf(value) {
    if (typeof value !== 'string' || !value.trim()) return null;
    const text = value.trim();
    let url;
    try {
      url = new URL(text.includes('://') ? text : `https://${text}`);
    } catch {
      return null;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    const host = stripDot(url.hostname);
    return host ? `${url.protocol}//${host}` : null;
  }

  /** The match pattern (and permission origin) of a site. @param {string} site */
  function patternOf(site) {
    return `${site}/*`;
  }

  /**
   * Sites chosen by the person, plus this machine's pages while the server is on this machine.
   * @param {{sites: string[], serverUrl: string}} s
   */
  function chosenSites(s) {
    const out = new Set(s.sites);
    if (serverIsLocal(s.serverUrl)) for (const site of LOOPBACK_SITES) out.add(site);
    return [...out];
  }

  /**
   * The match patterns content scripts are registered for.
   * @param {{enabled: boolean, mode: string, sites: string[], serverUrl: string}} s
   */
  function contentMatches(s) {
    if (!s.enabled) return [];
    if (s.mode === Mode.EVERYWHERE) return [...ALL_SITES];
    return chosenSites(s).map(patternOf);
  }

  /**
   * Whether the page at `url` may be read (before the disable list and the global switch).
   * @param {string} url
   * @param {{mode: string, sites: string[], serverUrl: string}} s
   * @param {string | null} [oneOffSite] - the site a one-off "Highlight this page" was given for
   */
  function siteAllowed(url, s, oneOffSite) {
    const site = siteOf(url);
    if (!site || !/^https?:\/\//i.test(url)) return false;
    if (s.mode === Mode.EVERYWHERE) return true;
    return chosenSites(s).includes(site) || (!!oneOffSite && oneOffSite === site);
  }

  globalThis.termlightSites = Object.freeze({
    Mode,
    LOOPBACK_PATTERNS,
    ALL_SITES,
    stripDot,
    isLoopbackHost,
    serverIsLocal,
    siteOf,
    patternOf,
    chosenSites,
    contentMatches,
    siteAllowed,
  });
})();
