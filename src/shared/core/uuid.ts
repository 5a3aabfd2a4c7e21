/**
 * An RFC 4122-shaped id in any version, either case. Ids arrive from URLs, cursors and job
 * payloads; checking the shape first keeps a malformed id a "not found" instead of a
 * PostgreSQL cast error.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);
