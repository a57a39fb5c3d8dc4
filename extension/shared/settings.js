/*
 * Settings: the one place that knows the defaults, how stored values are cleaned up and
 * which sites are switched off. The background worker, the options page and the popup all
 * load this file, so they can never disagree about what a setting means.
 *
 * Content scripts do not load it: they never read storage themselves (the API token lives
 * there), they ask the background worker whether to run instead.
 */
(() => {
  'use strict';

  const sites = globalThis.termlightSites;

  const DEFAULTS = Object.freeze({
    serverUrl: 'http://localhost:8765',
    token: '',
    enabled: true,
    disabledSites: [],
    occurrences: 'first', // 'first' (underline each term's first occurrence; all stay hoverable) | 'every'
    skipCode: true,
    glossaries: [], // empty means every glossary the server has
    mode: 'sites', // 'sites' (on sites I choose) | 'everywhere'; see shared/sites.js
    sites: [], // chosen sites, each 'scheme://host'
    insecureOk: false, // the person confirmed sending token and text over plain http off this machine
    matchMode: 'auto', // 'auto' (in the browser when the server offers it) | 'local' | 'server'
  });

  /** Hosts the manifest already grants (host_permissions); anything else is asked for at run time. */
  const BUILTIN_HOSTS = ['localhost', '127.0.0.1'];

  /**
   * Clean a server URL typed by a person: trim it, require http(s), drop credentials, query and
   * fragment, and drop a trailing slash so paths can be appended. A path prefix is kept so the
   * service can sit behind a reverse proxy. Returns null when the value is not usable.
   */
  function normalizeServerUrl(value) {
    if (typeof value !== 'string') return null;
    let url;
    try {
      url = new URL(value.trim());
    } catch {
      return null;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password) return null;
    const path = url.pathname.replace(/\/+$/, '');
    return url.origin + path;
  }

  /** The host part of a disable-list entry, whatever the person pasted (a URL, host:port, a bare host). */
  function normalizeHost(entry) {
    if (typeof entry !== 'string') return '';
    const text = entry.trim().toLowerCase();
    if (!text) return '';
    try {
      // A trailing dot ("bank.example.") names the same host and must not dodge the list.
      return sites.stripDot(new URL(text.includes('://') ? text : `http://${text}`).hostname).replace(/^www\./, '');
    } catch {
      return '';
    }
  }

  /** True when `hostname` or one of its parent domains is on the disable list. */
  function isSiteDisabled(hostname, list) {
    const host = normalizeHost(hostname);
    if (!host) return false;
    return (list || []).some((entry) => {
      const e = normalizeHost(entry);
      return e !== '' && (host === e || host.endsWith(`.${e}`));
    });
  }

  /**
   * The optional host permission a server URL needs, or null when the manifest already covers
   * it. Match patterns ignore ports, so one grant covers every port of that host.
   */
  function permissionPattern(serverUrl) {
    const clean = normalizeServerUrl(serverUrl);
    if (!clean) return null;
    const url = new URL(clean);
    if (url.protocol === 'http:' && BUILTIN_HOSTS.includes(url.hostname)) return null;
    return `${url.protocol}//${url.hostname}/*`;
  }

  /**
   * Whether a server URL would carry the token and page text unencrypted across a network:
   * plain http to a host that is not this machine.
   */
  function isInsecureServer(serverUrl) {
    const clean = normalizeServerUrl(serverUrl);
    if (!clean) return false;
    const url = new URL(clean);
    return url.protocol === 'http:' && !sites.isLoopbackHost(url.hostname);
  }

  /** Stored values with wrong types (an old version, a hand edit) fall back to the default. */
  function sanitize(stored) {
    const out = { ...DEFAULTS };
    const s = stored || {};
    const url = normalizeServerUrl(s.serverUrl);
    if (url) out.serverUrl = url;
    if (typeof s.token === 'string') out.token = s.token.trim();
    if (typeof s.enabled === 'boolean') out.enabled = s.enabled;
    if (Array.isArray(s.disabledSites)) {
      out.disabledSites = [...new Set(s.disabledSites.map(normalizeHost).filter(Boolean))];
    }
    if (s.occurrences === 'every' || s.occurrences === 'first') out.occurrences = s.occurrences;
    if (typeof s.skipCode === 'boolean') out.skipCode = s.skipCode;
    if (['auto', 'local', 'server'].includes(s.matchMode)) out.matchMode = s.matchMode;
    if (Array.isArray(s.glossaries)) {
      out.glossaries = s.glossaries.filter((g) => typeof g === 'string' && g);
    }
    if (s.mode === sites.Mode.SITES || s.mode === sites.Mode.EVERYWHERE) out.mode = s.mode;
    if (Array.isArray(s.sites)) out.sites = [...new Set(s.sites.map(sites.siteOf).filter(Boolean))];
    if (typeof s.insecureOk === 'boolean') out.insecureOk = s.insecureOk;
    return out;
  }

  /**
   * The settings in force: what the person saved, combined with the administrator's policy
   * (shared/policy.js): locked policy values win, unlocked ones are defaults.
   */
  async function loadWithPolicy() {
    const [stored, policy] = await Promise.all([
      chrome.storage.local.get(Object.keys(DEFAULTS)),
      globalThis.termlightPolicy.readPolicy(),
    ]);
    const merged = policy.locked.length ? { ...stored, ...policy.values } : { ...policy.values, ...stored };
    return { settings: sanitize(merged), locked: policy.locked };
  }

  async function load() {
    return (await loadWithPolicy()).settings;
  }

  /** Save some settings; the values go through the same cleaning as on load. */
  async function save(partial) {
    const { settings: current, locked } = await loadWithPolicy();
    const merged = sanitize({ ...current, ...partial });
    const changes = {};
    for (const key of Object.keys(partial)) {
      if (key in DEFAULTS && !locked.includes(key)) changes[key] = merged[key];
    }
    await chrome.storage.local.set(changes);
    return merged;
  }

  /** Switch one site on or off by editing the disable list. */
  async function setSiteEnabled(hostname, enabled) {
    const host = normalizeHost(hostname);
    const current = await load();
    let list = current.disabledSites.filter((e) => !(host === e || host.endsWith(`.${e}`)));
    if (!enabled) list = [...list, host];
    return save({ disabledSites: list });
  }

  globalThis.termlightSettings = Object.freeze({
    DEFAULTS,
    normalizeServerUrl,
    normalizeHost,
    isSiteDisabled,
    permissionPattern,
    isInsecureServer,
    sanitize,
    load,
    loadWithPolicy,
    save,
    setSiteEnabled,
  });
})();
