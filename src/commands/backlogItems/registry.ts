/**
 * The registry of backlog-item kinds: every mark, invoice and posting command finds the
 * kind of an item here by its source type (R68's `sourceType`).
 */
import type { SourceType } from '../../domain/vocabulary.js';
import { actualKind } from './actuals.js';
import type { BacklogItemKind } from './kind.js';
import { milestoneSplitKind } from './milestoneSplits.js';
import { retainerKind } from './retainers.js';

const KINDS: Record<SourceType, BacklogItemKind> = {
  Actual: actualKind,
  MilestoneSplit: milestoneSplitKind,
  Retainer: retainerKind,
};

export const kindOf = (type: SourceType): BacklogItemKind => KINDS[type];

/** Every kind, in the order drafts list their details: work, milestones, then retainers. */
export const allKinds = (): BacklogItemKind[] => Object.values(KINDS);

/** Groups items by kind, in registry order: `[kind, items of that kind]`. */
export function byKind<T>(
  items: readonly T[],
  typeOf: (item: T) => SourceType,
): [BacklogItemKind, T[]][] {
  return allKinds()
    .map((kind): [BacklogItemKind, T[]] => [kind, items.filter((i) => typeOf(i) === kind.type)])
    .filter(([, mine]) => mine.length > 0);
}
