/** The opaque position after one finding of a compare result's list: its pair key, versioned. */
export function encodeFindingsCursor(pairKey: string): string {
  return Buffer.from(JSON.stringify({ v: 1, k: pairKey }), 'utf8').toString('base64url');
}

/** The pair key to continue after, or null when the cursor was not issued by us. */
export function decodeFindingsCursor(cursor: string): string | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; k?: unknown };
    return parsed?.v === 1 && typeof parsed.k === 'string' ? parsed.k : null;
  } catch {
    return null;
  }
}
