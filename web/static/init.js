// Bootstraps GraphiQL from the JSON config block in index.html.
// Kept as a separate same-origin file so the page's Content-Security-Policy
// needs no 'unsafe-inline' for scripts.
(function () {
  'use strict';

  var root = document.getElementById('graphiql');
  var cfg;
  try {
    cfg = JSON.parse(document.getElementById('config').textContent);
  } catch (err) {
    root.textContent = 'GraphiQL: bad page config: ' + err;
    return;
  }
  if (typeof window.GraphiQL !== 'function' || !window.React || !window.ReactDOM) {
    root.textContent = 'GraphiQL: failed to load the bundled scripts.';
    return;
  }

  // WebSocket URLs must be absolute ws:// or wss:// in older browsers;
  // resolve a relative path (or http(s) URL) against the page.
  function toWebSocketURL(u) {
    var abs = new URL(u, window.location.href);
    if (abs.protocol === 'http:') abs.protocol = 'ws:';
    if (abs.protocol === 'https:') abs.protocol = 'wss:';
    return abs.toString();
  }

  var fetcherOptions = { url: cfg.endpoint };
  if (cfg.subscriptionEndpoint) {
    fetcherOptions.subscriptionUrl = toWebSocketURL(cfg.subscriptionEndpoint);
  }

  var props = {
    fetcher: window.GraphiQL.createFetcher(fetcherOptions),
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: true
  };
  if (cfg.defaultHeaders) {
    props.defaultHeaders = cfg.defaultHeaders;
  }
  if (cfg.defaultTabs && cfg.defaultTabs.length) {
    props.defaultTabs = cfg.defaultTabs;
    // GraphiQL fills the editors of the first tab from the query, variables
    // and headers props (or what the browser stored), not from defaultTabs:
    // without these the first Run has no variables (and, after a restart of
    // the demo, an old key).
    var first = cfg.defaultTabs[0];
    props.query = first.query;
    if (first.variables) props.variables = first.variables;
    if (first.headers) props.headers = first.headers;
  }

  root.textContent = '';
  window.ReactDOM.createRoot(root).render(
    window.React.createElement(window.GraphiQL, props)
  );
})();
