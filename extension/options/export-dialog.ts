/**
 * The export dialog: shows an identity's export text, labelled as holding
 * its secret key, with a file download (a Blob link) and Copy. Closing it
 * clears the text and releases the Blob, so the secret does not linger in
 * the page.
 */
import type { Identity } from '../../src/protocol/messages.js'
import { byId } from '../shared/dom.js'

/** A file name from the identity's name: letters, digits and dashes only. */
export function exportFileName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 40)
  return `porchlight-identity-${slug || 'export'}.txt`
}

/** Shows the dialog; resolves once the user closed it. */
export function showExport(identity: Identity, text: string): Promise<void> {
  const dialog = byId<HTMLDialogElement>('export-dialog')
  const area = byId<HTMLTextAreaElement>('export-text')
  const download = byId<HTMLAnchorElement>('export-download')
  const status = byId('export-status')
  const href = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))

  byId('export-name').textContent = `“${identity.name}”`
  area.value = text
  status.textContent = ''
  download.href = href
  download.download = exportFileName(identity.name)

  const copy = (): void => {
    navigator.clipboard.writeText(text).then(
      () => (status.textContent = 'Copied. Paste it only into your own browsers.'),
      () => {
        area.select()
        status.textContent = 'Could not copy; the text is selected, copy it by hand.'
      },
    )
  }
  // Cleared at once, not only when the (asynchronous) close event comes.
  const done = (): void => {
    area.value = ''
    dialog.close()
  }
  byId('export-copy').addEventListener('click', copy)
  byId('export-close').addEventListener('click', done)

  dialog.showModal()
  byId('export-close').focus()
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        byId('export-copy').removeEventListener('click', copy)
        byId('export-close').removeEventListener('click', done)
        area.value = ''
        download.href = '#'
        // Give a download started by the link a moment to read the Blob.
        setTimeout(() => URL.revokeObjectURL(href), 1000)
        resolve()
      },
      { once: true },
    )
  })
}
