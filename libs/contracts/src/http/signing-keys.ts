/**
 * `GET /api/events/:slug/signing-keys` and the answers of rotate and retire (docs/API.md,
 * "Signing keys"): one of an event's badge signing keys, never its private half.
 */
export interface SigningKeyView {
  /** 8 hex digits, as written into every QR code the key signs. */
  keyId: string;
  createdAt: string;
  /** The key new badges are signed with (one per event). */
  active: boolean;
  /** When the organisers retired it: its badges answer `revoked` (`key_retired`) from then on. */
  retiredAt: string | null;
  /** Current badges (issued, not revoked, newest version) whose QR code the key signed. */
  badges: number;
}

/** `POST /api/events/:slug/signing-keys/print-affected`: what was re-issued, and its print job. */
export interface PrintAffectedAnswer {
  reissued: number;
  printJobId: string;
}
