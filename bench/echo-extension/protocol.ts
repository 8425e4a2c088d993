/** The page's hello to the echo extension's content script, which answers with a MessagePort. */
export const ECHO_HANDSHAKE = 'porchlight-bench-echo'
