/**
 * The options page's identities: every identity of this browser with its
 * main and read-only markers, and rename (inline), make main, export, delete
 * (after a confirmation dialog) and create. Every change goes through the
 * admin port to the engine; the list is redrawn from the engine's answer.
 */
import type { IdentitySummary } from '../../src/protocol/messages.js'
import { admin } from '../shared/admin-client.js'
import { avatar } from '../shared/avatar.js'
import { byId, el, showError } from '../shared/dom.js'
import { showExport } from './export-dialog.js'

type Action = 'rename' | 'main' | 'export' | 'delete'

/** What the section knows between redraws. */
const state = {
  list: [] as IdentitySummary[],
  /** URL of the identity whose name is being edited. */
  editing: null as string | null,
  /** Called after every change, e.g. to redraw the sites (they name identities). */
  changed: (): void => undefined,
}

function fail(err: unknown): void {
  showError(err, 'identities-error')
}

function clearError(): void {
  byId('identities-error').hidden = true
}

/** Says what happened in the polite status line (screen readers hear it). */
function announce(text: string): void {
  byId('identities-status').textContent = text
}

function focusAction(url: string, action: Action): void {
  const row = [...byId('identities').children].find((li) => li.getAttribute('data-url') === url)
  const target =
    row?.querySelector<HTMLElement>(`[data-action="${action}"]`) ??
    row?.querySelector<HTMLElement>('[data-action]')
  target?.focus()
}

function actionButton(
  action: Action,
  text: string,
  label: string,
  onClick: () => void,
  cls = 'quiet',
): HTMLButtonElement {
  const button = el(
    'button',
    { type: 'button', class: cls, 'data-action': action, 'aria-label': label },
    text,
  )
  button.addEventListener('click', onClick)
  return button
}

/** Runs one change: buttons of the row are disabled meanwhile; errors go to the section's alert. */
async function change(row: HTMLElement, run: () => Promise<void>): Promise<void> {
  clearError()
  for (const b of row.querySelectorAll('button')) b.disabled = true
  try {
    await run()
  } catch (err) {
    fail(err)
    for (const b of row.querySelectorAll('button')) b.disabled = false
  }
}

function renameForm(identity: IdentitySummary): HTMLFormElement {
  const input = el('input', {
    type: 'text',
    name: 'name',
    required: '',
    maxlength: '256',
    autocomplete: 'off',
    'aria-label': `New name for ${identity.name}`,
  })
  input.value = identity.name
  const cancel = el('button', { type: 'button', class: 'quiet' }, 'Cancel')
  const form = el(
    'form',
    { class: 'rename-form' },
    input,
    el('button', { type: 'submit', class: 'primary quiet' }, 'Save'),
    cancel,
  )
  const stop = (): void => {
    state.editing = null
    draw()
    focusAction(identity.url, 'rename')
  }
  cancel.addEventListener('click', stop)
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault()
      stop()
    }
  })
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const name = input.value.trim()
    if (name === identity.name) return stop()
    void change(form, async () => {
      const renamed = await admin('identities.rename', { url: identity.url, name })
      state.editing = null
      await reload()
      announce(`Renamed to ${renamed.name}.`)
      focusAction(identity.url, 'rename')
    }).then(() => {
      if (state.editing === identity.url) input.setAttribute('aria-invalid', 'true')
    })
  })
  return form
}

function row(identity: IdentitySummary): HTMLLIElement {
  const { url, name } = identity
  const who = el('div', { class: 'who' }, el('span', { class: 'name' }, name))
  if (identity.main) who.append(el('span', { class: 'badge main' }, 'Main'))
  if (!identity.writable) who.append(el('span', { class: 'badge' }, 'Read-only here'))
  const details = el('div', { class: 'grow' })
  details.append(
    state.editing === url ? renameForm(identity) : who,
    el('div', { class: 'url' }, url),
  )
  if (!identity.writable) {
    details.append(
      el(
        'p',
        { class: 'muted note' },
        'Another browser writes this identity. To write it here, delete this copy and import ' +
          'a fresh export with “Take over writing”.',
      ),
    )
  }
  const li = el('li', { class: 'identity', 'data-url': url }, avatar(identity), details)
  if (state.editing === url) return li

  const actions = el('div', { class: 'row-actions' })
  if (identity.writable) {
    actions.append(
      actionButton('rename', 'Rename', `Rename ${name}`, () => {
        clearError()
        state.editing = url
        draw()
        byId('identities').querySelector<HTMLInputElement>('.rename-form input')?.select()
      }),
    )
  }
  if (!identity.main) {
    actions.append(
      actionButton('main', 'Make main', `Make main ${name}`, () =>
        change(li, async () => {
          await admin('identities.setMain', { url })
          await reload()
          announce(`${name} is now your main identity.`)
          focusAction(url, 'export')
        }),
      ),
    )
  }
  actions.append(
    actionButton('export', 'Export', `Export ${name}`, () =>
      change(li, async () => {
        const { text } = await admin('identities.export', { url })
        await showExport(identity, text)
        for (const b of li.querySelectorAll('button')) b.disabled = false
        focusAction(url, 'export')
      }),
    ),
  )
  if (state.list.length > 1) {
    actions.append(actionButton('delete', 'Delete', `Delete ${name}`, () => remove(li, identity)))
  }
  li.append(actions)
  return li
}

function draw(): void {
  const list = byId('identities')
  list.replaceChildren(...state.list.map(row))
  list.removeAttribute('aria-busy')
}

/** Reads the list from the engine and redraws it (and whatever depends on it). */
async function reload(): Promise<void> {
  state.list = await admin('identities.list')
  draw()
  state.changed()
}

/** Opens the confirmation dialog; resolves true only for "Delete for good". */
function confirmDelete(identity: IdentitySummary, sites: string[]): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('delete-dialog')
  byId('delete-name').textContent = `“${identity.name}”`
  const note = byId('delete-sites')
  note.hidden = sites.length === 0
  note.textContent = `${sites.join(', ')} ${sites.length === 1 ? 'sees' : 'see'} this identity and will have to be allowed again.`
  dialog.returnValue = ''
  dialog.showModal()
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'delete'), { once: true })
  })
}

async function remove(li: HTMLElement, identity: IdentitySummary): Promise<void> {
  clearError()
  const { url, name } = identity
  const grants = (await admin('grants.list').catch(() => [])).filter((g) => g.identity === url)
  if (
    !(await confirmDelete(
      identity,
      grants.map((g) => g.origin),
    ))
  ) {
    focusAction(url, 'delete')
    return
  }
  await change(li, async () => {
    // The worker also revokes the sites that were shown it: they ask again.
    await admin('identities.delete', { url, confirm: true })
    await reload()
    announce(`Deleted ${name}.`)
    byId('create-name').focus()
  })
}

/** The identity's name for a URL, if it is one of this browser's. */
export function identityName(url: string): string | undefined {
  return state.list.find((i) => i.url === url)?.name
}

/** Draws the section and wires the create form; `onChange` runs after every change. */
export async function initIdentities(onChange: () => void): Promise<void> {
  state.changed = onChange
  const form = byId<HTMLFormElement>('create-form')
  const input = byId<HTMLInputElement>('create-name')
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const name = input.value.trim()
    if (!name) return
    void change(form, async () => {
      const created = await admin('identities.create', { name })
      input.value = ''
      await reload()
      announce(`Created ${created.name}.`)
    }).finally(() => {
      for (const b of form.querySelectorAll('button')) b.disabled = false
    })
  })
  await reload().catch((err: unknown) => {
    fail(err)
    state.changed()
  })
}

/** Redraws the list after a change made elsewhere on the page (an import). */
export function reloadIdentities(): Promise<void> {
  return reload()
}
