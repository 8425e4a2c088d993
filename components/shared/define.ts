/**
 * Defining the tags. The extension's element bundle and a site's own bundle
 * may both load on one page; the first definition wins and the second is a
 * no-op instead of a `NotSupportedError`.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, ctor)
}
