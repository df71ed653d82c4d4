/** ISO 3166-1 alpha-2 (BR-CO-09, BR-CL-14). */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code);
}
