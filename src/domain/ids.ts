/** Ids are bigint identities shown as strings; anything else names no record. */
const ID = /^[1-9]\d{0,17}$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}
