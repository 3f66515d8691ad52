/** The part of sodium-native (libsodium bindings) that badge verification uses. */
declare module 'sodium-native' {
  export const crypto_sign_BYTES: number;
  export const crypto_sign_PUBLICKEYBYTES: number;
  /** True when `signature` is a valid Ed25519 signature of `message` by `publicKey`. */
  export function crypto_sign_verify_detached(
    signature: Uint8Array,
    message: Uint8Array,
    publicKey: Uint8Array,
  ): boolean;
}
