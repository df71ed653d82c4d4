import { z } from 'zod';

/** `q` on a list (spec §5): a case-insensitive substring of the name; empty matches all. */
export const nameSearch = z
  .string()
  .max(200)
  .optional()
  .meta({ description: 'a case-insensitive substring of the name', example: 'acme' });
