// Porchlight only uses WebRTC inside the browser (the engine document), where
// these are the native implementations. In Node they are undefined, which is
// fine: Node only runs the tracker server, which never opens a peer connection.
const scope = globalThis

export const RTCPeerConnection = scope.RTCPeerConnection
export const RTCSessionDescription = scope.RTCSessionDescription
export const RTCIceCandidate = scope.RTCIceCandidate
export const RTCDataChannel = scope.RTCDataChannel

export default { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate, RTCDataChannel }
