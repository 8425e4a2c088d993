/** A site's presence permission, as the gatekeeper stores it. */
export interface Grant {
  /** The site, e.g. https://example.com */
  origin: string
  /** URL of the identity this origin sees (hyper://<64 hex>). */
  identity: string
  /** Whether the site may see the user's friends and their sessions. */
  friends: boolean
  grantedAt: number
}

/** What the user picked in the prompt. */
export interface PromptDecision {
  allow: boolean
  /** Show the site the main identity, or a new identity made for this site only. */
  identity: 'main' | 'site'
  friends: boolean
}

/** After "Don't allow", how long a site must wait before it may prompt again without a user gesture. */
export const DENIAL_COOL_DOWN_MS = 5 * 60_000

/**
 * Whether a site that was refused may show the prompt again now: only after
 * a user gesture in the page, or once the cool-down has passed.
 */
export function mayPromptAgain(
  deniedAt: number | undefined,
  now: number,
  gesture: boolean,
): boolean {
  if (deniedAt === undefined) return true
  return gesture || now - deniedAt >= DENIAL_COOL_DOWN_MS
}
