/**
 * The XML tree the writers fill, serialized by fast-xml-parser's XMLBuilder (which escapes
 * text and attributes). Elements keep the order they are added in, as the UBL and CII
 * schemas require; repeated elements must be added one after the other. A leaf without a
 * value is left out, because an empty element is an error to Peppol (PEPPOL-EN16931-R008)
 * and meaningless to EN 16931. Names carry their namespace prefix ("cbc:ID"), declared on
 * the root with `xmlns:` attributes.
 */
import { XMLBuilder } from 'fast-xml-parser';

type Attributes = Record<string, string>;
type Content = Record<string, unknown>;

const attributesOf = (attrs: Attributes | undefined): Content =>
  Object.fromEntries(Object.entries(attrs ?? {}).map(([k, v]) => [`@_${k}`, v]));

export class XmlElement {
  readonly content: Content;

  constructor(attrs?: Attributes) {
    this.content = attributesOf(attrs);
  }

  private add(name: string, value: unknown): void {
    const existing = this.content[name];
    if (existing === undefined) this.content[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else this.content[name] = [existing, value];
  }

  /** A child element, to be filled by the caller. */
  child(name: string, attrs?: Attributes): XmlElement {
    const c = new XmlElement(attrs);
    this.add(name, c.content);
    return c;
  }

  /** A leaf with text; nothing when the value is null or empty. Returns this, to chain. */
  leaf(name: string, value: string | null | undefined, attrs?: Attributes): this {
    if (value === null || value === undefined || value === '') return this;
    this.add(name, attrs ? { ...attributesOf(attrs), '#text': value } : value);
    return this;
  }
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  processEntities: true,
  suppressEmptyNode: true,
});

/** The document: an XML declaration and `root` named `name`. */
export function serialize(name: string, root: XmlElement): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [name]: root.content,
  }) as string;
}
