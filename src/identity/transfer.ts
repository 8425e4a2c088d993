/**
 * Moving an identity between browsers: export writes its key pair and its
 * whole log (./export-format.ts); import rebuilds the very same hypercore from
 * them and accepts it only when it is provably the same archive.
 *
 * Import checks, before the identity is registered anywhere:
 * - the secret key derives the public key the URL names (not merely carries it);
 * - replaying the blocks gives exactly the exported tree hash, so the log is
 *   the original, block for block (hypercore signs deterministically, the
 *   signature is the original's too);
 * - the head block decodes and the archive has a profile.
 * Any failure deletes what was written and is `invalid-argument`.
 */
import Hypercore from 'hypercore'
import { keyPair } from 'hypercore-crypto'
import type RandomAccessStorage from 'random-access-storage'
import { P2PError } from '../errors.js'
import { IdentityArchive } from './archive.js'
import { decodeExport, encodeExport } from './export-format.js'
import { hyperUrl } from './hyper-url.js'

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i])
}

/** The export text of `archive` (see ./export-format.ts). Needs the secret key. */
export async function exportArchive(archive: IdentityArchive): Promise<string> {
  const { core } = archive
  const secretKey = core.keyPair?.secretKey
  if (!secretKey) {
    throw P2PError.INVALID_ARGUMENT('this browser has no secret key for that identity to export')
  }
  const length = core.length
  const blocks: Uint8Array[] = []
  for (let i = 0; i < length; i++) {
    const block = await core.get(i, { wait: false })
    if (!block) throw P2PError.from(new Error(`block ${i} of ${archive.url} is missing`))
    blocks.push(block)
  }
  const treeHash = await core.treeHash(length)
  return encodeExport(
    { url: archive.url, secretKey, blocks, treeHash },
    archive.profile?.name ?? '',
  )
}

export interface ImportOptions {
  /** Storage for the new core (a fresh, empty prefix). */
  storage: (file: string) => RandomAccessStorage
  /** This browser's device id. */
  device: string
  /** Make this browser the identity's writer. */
  takeOver: boolean
  /** Whether this browser already has the identity. */
  exists: (url: string) => boolean
  /** Removes whatever the failed import wrote. */
  discard: () => Promise<void>
}

/** Rebuilds the archive an export text holds, or throws `invalid-argument` leaving nothing behind. */
export async function importArchive(text: unknown, opts: ImportOptions): Promise<IdentityArchive> {
  const payload = await decodeExport(text)
  const derived = keyPair(payload.secretKey.subarray(0, 32))
  if (
    !equalBytes(derived.secretKey, payload.secretKey) ||
    hyperUrl(derived.publicKey) !== payload.url
  ) {
    throw P2PError.INVALID_ARGUMENT(
      "the identity export's secret key does not belong to its identity URL; the export is damaged",
    )
  }
  if (opts.exists(payload.url)) {
    throw P2PError.INVALID_ARGUMENT(`identity ${payload.url} is already in this browser`)
  }
  let core: Hypercore | null = null
  try {
    core = new Hypercore(opts.storage, { keyPair: derived })
    await core.ready()
    if (core.length !== 0) throw new Error('the storage for the import is not empty')
    await core.append(payload.blocks)
    if (!equalBytes(await core.treeHash(), payload.treeHash)) {
      throw P2PError.INVALID_ARGUMENT(
        "the identity export's archive does not match its tree hash; the export is damaged",
      )
    }
    const archive = await IdentityArchive.open(core, { device: opts.device })
    if (!archive.profile) {
      throw P2PError.INVALID_ARGUMENT('the identity export holds no profile.json')
    }
    if (opts.takeOver) await archive.takeOver()
    return archive
  } catch (err) {
    await core?.close().catch(() => undefined)
    await opts.discard()
    if (err instanceof P2PError && err.code === 'invalid-argument') throw err
    const reason = err instanceof Error ? err.message : String(err)
    throw P2PError.INVALID_ARGUMENT(`the identity export's archive does not verify: ${reason}`)
  }
}
