/**
 * The element bundle, web-accessible, imported by the page script only when a
 * page uses a `<p2p-*>` element or calls the API. Each element lives in its
 * own folder and defines its tag when imported.
 */
export {}
