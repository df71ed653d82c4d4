/**
 * The little the writers need on top of xmlbuilder2: a child element in a namespace, and a
 * leaf that is left out when it has no value, because an empty element is an error to
 * Peppol (PEPPOL-EN16931-R008) and meaningless to EN 16931.
 */
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';

export type Node = XMLBuilder;

export interface Namespace {
  uri: string;
  prefix: string;
}

export const XMLNS = 'http://www.w3.org/2000/xmlns/';

/** A child element `prefix:name` (or one without prefix) in `ns`. */
export function child(parent: Node, ns: Namespace, name: string, attrs?: Record<string, string>) {
  const qname = ns.prefix ? `${ns.prefix}:${name}` : name;
  return parent.ele(ns.uri, qname, attrs);
}

/** A leaf with text; nothing when the value is null. Returns the parent, to chain leaves. */
export function leaf(
  parent: Node,
  ns: Namespace,
  name: string,
  value: string | null | undefined,
  attrs?: Record<string, string>,
): Node {
  if (value !== null && value !== undefined && value !== '') {
    child(parent, ns, name, attrs).txt(value);
  }
  return parent;
}
