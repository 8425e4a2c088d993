// sodium-javascript ships no types; the shim only spreads its exports.
declare module 'sodium-javascript' {
  const sodium: Record<string, unknown>
  export default sodium
}
