/** PostgreSQL's own reason for a failed statement, without the SQL text and values the query builder prefixes it with. */
export function driverReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const separator = message.lastIndexOf(' - ');
  return separator >= 0 ? message.slice(separator + 3) : message;
}
