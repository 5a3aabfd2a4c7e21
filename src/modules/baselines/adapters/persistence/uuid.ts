const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Malformed ids are "not found", never a database error. */
export const isUuid = (value: string): boolean => UUID.test(value);
