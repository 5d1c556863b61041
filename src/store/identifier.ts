/** A name as a quoted SQL identifier, for statements built from text (raw INSERTs, VACUUM and ANALYZE). */
export function quotedIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
