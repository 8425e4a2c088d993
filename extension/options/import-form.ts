/**
 * The import form: an export text pasted or read from a file, and the
 * "Take over writing" choice. The engine verifies the text; a bad, truncated
 * or foreign one comes back as its error, shown as is, and changes nothing.
 */
import { MAX_IMPORT_CHARS } from '../../src/protocol/admin.js'
import { P2PError } from '../../src/errors.js'
import { admin } from '../shared/admin-client.js'
import { byId, showError } from '../shared/dom.js'

/** Wires the form; `imported` redraws the identities after a successful import. */
export function initImport(imported: () => Promise<void>): void {
  const form = byId<HTMLFormElement>('import-form')
  const area = byId<HTMLTextAreaElement>('import-text')
  const file = byId<HTMLInputElement>('import-file')
  const takeOver = byId<HTMLInputElement>('import-takeover')
  const status = byId('import-status')
  const error = byId('import-error')
  const button = byId<HTMLButtonElement>('import')

  const fail = (err: unknown): void => {
    showError(err, 'import-error')
    area.setAttribute('aria-invalid', 'true')
  }
  const clear = (): void => {
    error.hidden = true
    area.removeAttribute('aria-invalid')
    status.textContent = ''
  }

  file.addEventListener('change', () => {
    const chosen = file.files?.[0]
    if (!chosen) return
    clear()
    if (chosen.size > MAX_IMPORT_CHARS * 4) {
      fail(P2PError.INVALID_ARGUMENT(`${chosen.name} is too large to be an identity export`))
      return
    }
    chosen.text().then((text) => {
      area.value = text
      status.textContent = `Read ${chosen.name}. Check the choice below, then Import.`
    }, fail)
  })

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    clear()
    const text = area.value.trim()
    if (!text) {
      fail(P2PError.INVALID_ARGUMENT('paste the text of an export, or choose its file'))
      area.focus()
      return
    }
    const writer = takeOver.checked
    button.disabled = true
    admin('identities.import', { text, takeOver: writer })
      .then(async (identity) => {
        form.reset()
        await imported()
        status.textContent = writer
          ? `Imported ${identity.name}; this browser now writes it.`
          : `Imported ${identity.name}, read-only here.`
      }, fail)
      .finally(() => (button.disabled = false))
  })
}
